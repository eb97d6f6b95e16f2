import { EventEmitter } from 'node:events';
import type { HeadersReceivedResponse, OnHeadersReceivedListenerDetails } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  type SessionLike,
  type WebContentsLike,
  hardenAllWebContents,
  hardenSession,
  hardenWebContents,
  isPermissionAllowed,
  withContentSecurityPolicy,
} from '../../src-main/main/security.js';

const APP_URL = 'app://dfs-vault/index.html';

describe('content security policy', () => {
  it('allows only the app itself: no inline or remote script, no plugins, no framing, no base or form targets', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)|\*|https?:/);
  });

  it('replaces any policy a response brings and keeps its other headers', () => {
    const headers = withContentSecurityPolicy({ 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(withContentSecurityPolicy(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('permissions', () => {
  it('denies every permission a page asks for (camera, notifications, geolocation, ...)', () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'openExternal', 'fileSystem', 'hid', 'clipboard-read', 'clipboard-sanitized-write']) {
      expect(isPermissionAllowed(permission, APP_URL, APP_URL)).toBe(false);
    }
  });

  it('grants nothing, not even clipboard writes, to our own page or any other', () => {
    for (const url of [APP_URL, `${APP_URL}#/x`, 'https://example.com/', 'app://evil/index.html', undefined]) {
      expect(isPermissionAllowed('clipboard-sanitized-write', url, APP_URL)).toBe(false);
    }
  });

  it('installs the CSP header, the request handler and the check handler on the session', () => {
    let onHeaders: ((details: OnHeadersReceivedListenerDetails, callback: (response: HeadersReceivedResponse) => void) => void) | undefined;
    let onRequest: Parameters<SessionLike['setPermissionRequestHandler']>[0] | undefined;
    let onCheck: Parameters<SessionLike['setPermissionCheckHandler']>[0] | undefined;
    let onDevice: Parameters<SessionLike['setDevicePermissionHandler']>[0] | undefined;
    const session = Object.assign(new EventEmitter(), {
      webRequest: { onHeadersReceived: (listener: typeof onHeaders) => void (onHeaders = listener) },
      setPermissionRequestHandler: (handler: typeof onRequest) => void (onRequest = handler),
      setPermissionCheckHandler: (handler: typeof onCheck) => void (onCheck = handler),
      setDevicePermissionHandler: (handler: typeof onDevice) => void (onDevice = handler),
    });
    hardenSession(session as unknown as SessionLike, APP_URL);
    const response = vi.fn();
    onHeaders!({ responseHeaders: {} } as OnHeadersReceivedListenerDetails, response);
    expect(response).toHaveBeenCalledWith({ responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    const granted = vi.fn();
    onRequest!({}, 'media', granted, { requestingUrl: APP_URL });
    expect(granted).toHaveBeenCalledWith(false);
    expect(onCheck!({}, 'notifications', 'app://dfs-vault', { requestingUrl: APP_URL })).toBe(false);
    expect(onCheck!({}, 'clipboard-sanitized-write', 'app://dfs-vault', { requestingUrl: APP_URL })).toBe(false);
    expect(onDevice!({ deviceType: 'usb', origin: 'app://dfs-vault' })).toBe(false);
  });

  it.each([
    ['select-hid-device', [{ deviceList: [{ deviceId: 'h1' }] }], null],
    ['select-usb-device', [{ deviceList: [{ deviceId: 'u1' }] }], undefined],
    ['select-serial-port', [[{ portId: 's1' }], {}], ''],
  ])('answers a device chooser (%s) with no device, instead of the first one', (event, args, none) => {
    const session = Object.assign(new EventEmitter(), {
      webRequest: { onHeadersReceived: () => undefined },
      setPermissionRequestHandler: () => undefined,
      setPermissionCheckHandler: () => undefined,
      setDevicePermissionHandler: () => undefined,
    });
    hardenSession(session as unknown as SessionLike, APP_URL);
    const preventDefault = vi.fn();
    const callback = vi.fn();
    session.emit(event, { preventDefault }, ...args, callback);
    expect(preventDefault).toHaveBeenCalled();
    expect(callback).toHaveBeenCalledTimes(1);
    expect(callback.mock.calls[0]![0]).toBe(none);
  });
});

describe('web contents', () => {
  class FakeContents extends EventEmitter {
    openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
      this.openHandler = handler;
    }
    /** Emits like Electron does; true when a listener prevented the default action. */
    attempt(event: string, ...args: unknown[]): boolean {
      let prevented = false;
      this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
      return prevented;
    }
  }

  it('blocks navigation, redirects and <webview> attachment', () => {
    const contents = new FakeContents();
    hardenWebContents(contents as unknown as WebContentsLike);
    expect(contents.attempt('will-navigate', 'https://example.com/')).toBe(true);
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.attempt('will-navigate', 'app://dfs-vault/other.html')).toBe(true);
    expect(contents.attempt('will-redirect', 'https://example.com/')).toBe(true);
    expect(contents.attempt('will-attach-webview', {}, {})).toBe(true);
  });

  it('answers a Bluetooth device chooser with no device', () => {
    const contents = new FakeContents();
    hardenWebContents(contents as unknown as WebContentsLike);
    const callback = vi.fn();
    expect(contents.attempt('select-bluetooth-device', [{ deviceId: 'b1', deviceName: 'Headset' }], callback)).toBe(true);
    expect(callback).toHaveBeenCalledWith('');
  });

  it('opens no window for any URL, https included, and logs each refusal', () => {
    const contents = new FakeContents();
    const log = vi.fn<(line: string) => void>();
    hardenWebContents(contents as unknown as WebContentsLike, log);
    for (const url of ['https://example.com/help', 'http://example.com/', 'file:///etc/passwd', 'app://dfs-vault/index.html', 'javascript:alert(1)', 'smb://host/share', 'not a url']) {
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(log).toHaveBeenCalledWith(expect.stringContaining('https://example.com/help'));
  });

  it('hardens every webContents the app creates', () => {
    const app = new EventEmitter();
    hardenAllWebContents(app as never);
    const contents = new FakeContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.attempt('will-navigate', 'https://example.com/')).toBe(true);
    expect(contents.openHandler).toBeDefined();
  });
});
