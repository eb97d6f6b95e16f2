import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAllowedHost, isAllowedOrigin, tokenMatches } from '../../src-main/web/request-guard.js';

const PORT = 43117;

describe('request guard', () => {
  describe('isAllowedHost', () => {
    it('accepts this server’s loopback names with its port', () => {
      for (const host of [`127.0.0.1:${PORT}`, `localhost:${PORT}`, `[::1]:${PORT}`, `LOCALHOST:${PORT}`]) expect(isAllowedHost(host, PORT), host).toBe(true);
    });

    it('refuses other names that may resolve to loopback (DNS rebinding)', () => {
      for (const host of [`evil.com:${PORT}`, `127.0.0.1.nip.io:${PORT}`, `localhost.evil.com:${PORT}`, `127.1:${PORT}`, `0.0.0.0:${PORT}`, `[::ffff:127.0.0.1]:${PORT}`]) {
        expect(isAllowedHost(host, PORT), host).toBe(false);
      }
    });

    it('refuses the right name on another port or without a port', () => {
      for (const host of [`127.0.0.1:${PORT + 1}`, 'localhost', '127.0.0.1', '[::1]', `localhost:${PORT}0`, `127.0.0.1:${PORT} `]) expect(isAllowedHost(host, PORT), host).toBe(false);
    });

    it('refuses a missing or empty Host', () => {
      expect(isAllowedHost(undefined, PORT)).toBe(false);
      expect(isAllowedHost('', PORT)).toBe(false);
    });
  });

  describe('isAllowedOrigin', () => {
    it('accepts requests without an Origin (same-origin GETs and non-browser clients)', () => {
      expect(isAllowedOrigin(undefined, PORT)).toBe(true);
    });

    it('accepts this server’s own origins', () => {
      for (const origin of [`http://127.0.0.1:${PORT}`, `http://localhost:${PORT}`, `http://[::1]:${PORT}`, `HTTP://LOCALHOST:${PORT}`]) expect(isAllowedOrigin(origin, PORT), origin).toBe(true);
    });

    it('refuses other sites, other ports, other schemes and the opaque "null" origin', () => {
      for (const origin of [
        `http://evil.com:${PORT}`,
        'http://evil.com',
        `http://127.0.0.1:${PORT + 1}`,
        `https://127.0.0.1:${PORT}`,
        `http://localhost:${PORT}/`,
        'null',
        '',
      ]) {
        expect(isAllowedOrigin(origin, PORT), origin).toBe(false);
      }
    });
  });

  describe('tokenMatches', () => {
    const token = 'a1b2c3d4e5f6a7b8c9d0';

    it('accepts the exact token', () => {
      expect(tokenMatches(token, token)).toBe(true);
    });

    it('refuses a token of the same length that differs', () => {
      expect(tokenMatches(`${token.slice(0, -1)}x`, token)).toBe(false);
    });

    it('refuses a token of another length without throwing', () => {
      expect(tokenMatches(token.slice(0, -1), token)).toBe(false);
      expect(tokenMatches(`${token}0`, token)).toBe(false);
      expect(tokenMatches('', token)).toBe(false);
    });

    it('refuses a missing token', () => {
      expect(tokenMatches(undefined, token)).toBe(false);
      expect(tokenMatches(null, token)).toBe(false);
    });

    it('compares bytes, so characters of the same count but other byte length do not match', () => {
      expect(tokenMatches('é', 'e')).toBe(false);
    });
  });

  describe('content security policy', () => {
    it('allows only this origin’s scripts and forbids framing and plugins', () => {
      expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
      expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
      expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
      expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-');
    });
  });
});
