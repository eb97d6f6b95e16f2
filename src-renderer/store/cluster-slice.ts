import type { ClusterView } from '../../src-main/shared/app-models.js';
import type { SliceCreator } from './state.js';

/** The node strip: what the host reports, and which start/stop requests are under way. */
export interface ClusterSlice {
  cluster: ClusterView | null;
  /** Keys of start/stop requests in flight: "local", "node:0", … */
  clusterBusy: string[];
  setCluster(view: ClusterView): void;
  refreshCluster(): Promise<void>;
  startLocal(): Promise<void>;
  stopLocal(): Promise<void>;
  startNode(index: number): Promise<void>;
  stopNode(index: number): Promise<void>;
}

function upPattern(view: ClusterView): string {
  return view.nodes.map((n) => (n.up ? '1' : '0')).join('');
}

/** Builds the cluster slice. */
export const createClusterSlice: SliceCreator<ClusterSlice> = ({ api }) => (set, get) => {
  const run = async (key: string, action: () => Promise<ClusterView>, failure: string): Promise<void> => {
    set((s) => ({ clusterBusy: [...s.clusterBusy, key] }));
    try {
      get().setCluster(await action());
    } catch (error) {
      get().reportError(error, failure);
    } finally {
      set((s) => ({ clusterBusy: s.clusterBusy.filter((k) => k !== key) }));
    }
  };
  const nodeName = (index: number) => get().cluster?.nodes.find((n) => n.index === index)?.name ?? `node ${index + 1}`;
  return {
    cluster: null,
    clusterBusy: [],
    setCluster(cluster) {
      const before = get().cluster;
      set({ cluster });
      // A node going down or coming back changes every file's piece count: list the folder again.
      if (before && upPattern(before) !== upPattern(cluster) && get().phase === 'signed-in') void get().refreshFolder();
    },
    async refreshCluster() {
      try {
        get().setCluster(await api.cluster.status());
      } catch (error) {
        get().reportError(error);
      }
    },
    startLocal: () => run('local', () => api.cluster.startLocal(), 'Could not start the local cluster'),
    stopLocal: () => run('local', () => api.cluster.stopLocal(), 'Could not stop the local cluster'),
    startNode: (index) => run(`node:${index}`, () => api.cluster.startNode({ index }), `Could not start ${nodeName(index)}`),
    stopNode: (index) => run(`node:${index}`, () => api.cluster.stopNode({ index }), `Could not stop ${nodeName(index)}`),
  };
};
