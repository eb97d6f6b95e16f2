/**
 * Electron's security checklist, applied to every session and every webContents: a strict Content-Security-Policy,
 * no navigation, no new windows (the UI has no external links, so nothing is handed to the system browser either),
 * no <webview>, no permissions. Electron objects are parameters (typed structurally),
 * so Node tests check each rule with fakes.
 */
import type { OnHeadersReceivedListenerDetails, HeadersReceivedResponse } from 'electron';

/** The policy sent as a header; the renderer's index.html carries the same one as a meta tag (the effective policy is both). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Permissions the app's own page may use: none today (a feature that needs one adds it here, for our page only). */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set<string>();

/** Response headers with our Content-Security-Policy replacing any the response had. */
export function withContentSecurityPolicy(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const kept = Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy');
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] };
}

/** True when a permission is granted: only an allowed one, and only to our own page. */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, appUrl: string): boolean {
  if (!ALLOWED_PERMISSIONS.has(permission) || requestingUrl === undefined) return false;
  try {
    const requesting = new URL(requestingUrl);
    const app = new URL(appUrl);
    return requesting.protocol === app.protocol && requesting.host === app.host && requesting.pathname === app.pathname;
  } catch {
    return false;
  }
}

/** The parts of a `Session` hardened here. */
export interface SessionLike {
  webRequest: {
    onHeadersReceived(listener: (details: OnHeadersReceivedListenerDetails, callback: (response: HeadersReceivedResponse) => void) => void): void;
  };
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string, requestingOrigin: string, details: { requestingUrl?: string }) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  on(event: 'select-hid-device', listener: (event: Preventable, details: unknown, callback: (deviceId?: string | null) => void) => void): unknown;
  on(event: 'select-usb-device', listener: (event: Preventable, details: unknown, callback: (deviceId?: string) => void) => void): unknown;
  on(event: 'select-serial-port', listener: (event: Preventable, portList: unknown, webContents: unknown, callback: (portId: string) => void) => void): unknown;
}

/**
 * Adds the CSP header to every response webRequest sees and answers every permission request and check. (Files on
 * the app:// scheme carry the header themselves: webRequest's header hooks are not reliably run for custom schemes.)
 */
export function hardenSession(session: SessionLike, appUrl: string, log: (line: string) => void = () => undefined): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = isPermissionAllowed(permission, details.requestingUrl, appUrl);
    if (!granted) log(`Denied the permission "${permission}" to ${details.requestingUrl ?? 'an unknown page'}.`);
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, _origin, details) => isPermissionAllowed(permission, details.requestingUrl, appUrl));
  // No USB, HID or serial device is ever the page's: none is granted, and a chooser is answered "none" at once
  // (unhandled, some Electron versions picked the first device).
  session.setDevicePermissionHandler(() => false);
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback(null);
  });
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
}

/** An event whose default action can be cancelled. */
interface Preventable {
  preventDefault(): void;
}

/** The parts of a `WebContents` hardened here. */
export interface WebContentsLike {
  on(event: 'will-navigate', listener: (event: Preventable, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: Preventable) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown;
  on(event: 'select-bluetooth-device', listener: (event: Preventable, devices: unknown, callback: (deviceId: string) => void) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** No navigation away from the app, no redirects, no <webview>, no new windows, no Bluetooth device: every attempt is refused (navigations and windows logged). */
export function hardenWebContents(contents: WebContentsLike, log: (line: string) => void = () => undefined): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log(`Blocked a navigation to ${String(url).slice(0, 200)}.`);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`Blocked a new window for ${String(url).slice(0, 200)}.`);
    return { action: 'deny' };
  });
}

/** The parts of `app` hardened here. */
export interface AppLike {
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown;
}

/** Hardens every webContents the app ever creates, including ones nobody planned for. */
export function hardenAllWebContents(app: AppLike, log?: (line: string) => void): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));
}
