import { ImageSource, Texture, type Renderer } from 'pixi.js';

async function decodeImage(
  url: string,
  bytes?: (url: string) => Promise<Blob>,
): Promise<HTMLImageElement> {
  const image = new Image();
  // Without CORS a cross-origin image taints WebGL and cannot be uploaded.
  image.crossOrigin = 'anonymous';
  const objectUrl = bytes ? URL.createObjectURL(await bytes(url)) : undefined;
  image.src = objectUrl ?? url;
  try {
    await image.decode();
  } finally {
    if (objectUrl !== undefined) URL.revokeObjectURL(objectUrl);
  }
  return image;
}

/** Banner textures by URL: decoded and uploaded ahead of time, so showing one never stalls a frame. */
export class BannerTextures {
  private readonly pending = new Map<string, Promise<Texture>>();
  private readonly ready = new Map<string, Texture>();
  private destroyed = false;

  constructor(
    private readonly renderer: Renderer,
    private readonly bytes?: (url: string) => Promise<Blob>,
  ) {}

  get(url: string): Texture | undefined {
    return this.ready.get(url);
  }

  load(url: string): Promise<Texture> {
    const known = this.ready.get(url);
    if (known) return Promise.resolve(known);
    const inFlight = this.pending.get(url);
    if (inFlight) return inFlight;
    const loading = decodeImage(url, this.bytes).then(
      (image) => {
        this.pending.delete(url);
        if (this.destroyed) throw new Error('renderer destroyed');
        // Mipmaps keep a large banner legible when it is shrunk onto a small board.
        const source = new ImageSource({ resource: image, autoGenerateMipmaps: true });
        const texture = new Texture({ source });
        this.renderer.texture.initSource(source);
        this.ready.set(url, texture);
        return texture;
      },
      (error: unknown) => {
        this.pending.delete(url);
        throw error;
      },
    );
    this.pending.set(url, loading);
    return loading;
  }

  /** Frees every texture whose URL is not in `keep`. */
  retainOnly(keep: ReadonlySet<string>): void {
    for (const [url, texture] of this.ready) {
      if (keep.has(url)) continue;
      this.ready.delete(url);
      texture.destroy(true);
    }
  }

  destroy(): void {
    this.destroyed = true;
    this.retainOnly(new Set());
  }
}
