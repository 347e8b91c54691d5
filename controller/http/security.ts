import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers for every response: a strict Content-Security-Policy (no inline scripts,
 * no eval: pixi.js runs with its no-eval build), no framing except the public embed, nosniff.
 * `embedAncestors` lists who may frame `/embed/<board>` (the agency web portal).
 */
export function securityHeaders(embedAncestors: readonly string[]): RequestHandler {
  const directives = (frameAncestors: readonly string[]) => ({
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    // Snapshots are data: URLs; pixi decodes images through blob: URLs.
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    workerSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: [...frameAncestors],
    upgradeInsecureRequests: null,
  });
  const strict = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: directives(["'none'"]) },
    frameguard: { action: 'deny' },
  });
  const embed = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: directives(embedAncestors) },
    // frame-ancestors decides who may frame the embed; X-Frame-Options cannot list sites.
    frameguard: false,
  });
  return (req, res, next) => {
    if (req.path.startsWith('/embed/')) embed(req, res, next);
    else strict(req, res, next);
  };
}
