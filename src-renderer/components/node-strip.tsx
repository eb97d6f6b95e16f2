import { memo } from 'react';
import type { ClusterView, NodeView } from '../../src-main/shared/app-models.js';
import { formatBytes, formatLatency } from '../format.js';
import { nodeState, nodesSummary } from '../node-state.js';
import { Icon } from './icons.js';
import { useVault } from './store-context.js';

const LOCAL_WORDS: Record<ClusterView['local'], string> = {
  stopped: 'The local cluster is stopped.',
  starting: 'The local cluster is starting…',
  running: 'The local cluster is running.',
  stopping: 'The local cluster is stopping…',
};

const NodeChip = memo(function NodeChip({ node }: { node: NodeView }) {
  const busy = useVault((s) => s.clusterBusy.includes(`node:${node.index}`));
  const startNode = useVault((s) => s.startNode);
  const stopNode = useVault((s) => s.stopNode);
  const state = nodeState(node);
  const running = node.running ?? node.up;
  const title = [
    `${node.name} at ${node.address}`,
    node.error,
    node.up && node.latencyMs !== undefined ? formatLatency(node.latencyMs) : null,
    node.bytesUsed === undefined ? null : `${formatBytes(node.bytesUsed)} used`,
    node.bytesFree === undefined ? null : `${formatBytes(node.bytesFree)} free`,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <li className={`node node-${state}`} data-node={node.name} data-state={state} title={title}>
      <span className="node-dot" aria-hidden="true" />
      <span className="node-name">{node.name}</span>{' '}
      <span className="node-facts">
        {/* The dot says "up"; the word stays for screen readers and is shown only when a node is busy or down. */}
        <span className={`node-state${node.up ? ' visually-hidden' : ''}`}>{state}</span>
        {node.up && node.latencyMs !== undefined && (
          <>
            {' '}
            <span className="node-latency">{formatLatency(node.latencyMs)}</span>
          </>
        )}
        {node.bytesUsed !== undefined && (
          <>
            {' '}
            <span className="node-used" title={`${node.bytesUsed} bytes used`}>
              {formatBytes(node.bytesUsed)}
              <span className="visually-hidden"> used</span>
            </span>
          </>
        )}
      </span>
      {node.managed && (
        <button
          type="button"
          className="icon-button node-action"
          aria-label={`${running ? 'Stop' : 'Start'} ${node.name}`}
          title={`${running ? 'Stop' : 'Start'} ${node.name}`}
          disabled={busy}
          onClick={() => void (running ? stopNode(node.index) : startNode(node.index))}
        >
          {busy ? <span className="spinner" aria-hidden="true" /> : <Icon name={running ? 'stop' : 'play'} />}
        </button>
      )}
    </li>
  );
});

function LocalClusterControl() {
  const local = useVault((s) => s.cluster?.local ?? 'stopped');
  const localDir = useVault((s) => s.cluster?.localDir ?? '');
  const busy = useVault((s) => s.clusterBusy.includes('local'));
  const startLocal = useVault((s) => s.startLocal);
  const stopLocal = useVault((s) => s.stopLocal);
  const moving = local === 'starting' || local === 'stopping';
  const runs = local === 'running' || local === 'stopping';
  return (
    <div className="local-cluster" data-local-state={local} title={`${LOCAL_WORDS[local]}${localDir ? ` Data in ${localDir}` : ''}`}>
      <button type="button" className="button button-small" disabled={busy || moving} aria-busy={busy || moving || undefined} onClick={() => void (runs ? stopLocal() : startLocal())}>
        {busy || moving ? <span className="spinner" aria-hidden="true" /> : <Icon name={runs ? 'stop' : 'play'} />}
        {runs ? 'Stop local cluster' : 'Start local cluster'}
      </button>
    </div>
  );
}

/**
 * The node strip: each node up, busy or down with latency and space used, start/stop for the app's own nodes. The local
 * cluster's control shows only while signed in to it: another cluster's strip has nothing to do with it.
 */
export function NodeStrip() {
  const nodes = useVault((s) => s.cluster?.nodes);
  const onLocalCluster = useVault((s) => s.session?.target?.kind === 'local');
  const short = nodes?.some((n) => !n.up) ?? false;
  return (
    <section className="node-strip" aria-label="Storage nodes">
      <span className={`node-summary${short ? ' is-short' : ''}`}>{nodesSummary(nodes ?? [])}</span>
      <ul className="node-list">
        {(nodes ?? []).map((node) => (
          <NodeChip key={node.index} node={node} />
        ))}
      </ul>
      {onLocalCluster && <LocalClusterControl />}
    </section>
  );
}
