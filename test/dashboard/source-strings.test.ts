import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../controller/dashboard');
// Attributes a person reads or hears: they must come from t(), never be written in the markup.
const READ_ATTRIBUTES = new Set([
  'aria-label',
  'title',
  'placeholder',
  'alt',
  'label',
  'aria-valuetext',
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.tsx') ? [full] : [];
  });
}

/** Text written straight into JSX (words, not punctuation) and literal readable attributes. */
export function literalStrings(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const where = (node: ts.Node) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    return `${path.relative(root, file)}:${line + 1}`;
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && /\p{L}{2,}/u.test(node.text)) {
      found.push(`${where(node)} text "${node.text.trim()}"`);
    }
    if (
      ts.isJsxAttribute(node) &&
      READ_ATTRIBUTES.has(node.name.getText(source)) &&
      node.initializer &&
      ts.isStringLiteral(node.initializer) &&
      /\p{L}{2,}/u.test(node.initializer.text)
    ) {
      found.push(`${where(node)} ${node.name.getText(source)}="${node.initializer.text}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('dashboard markup', () => {
  it('writes no words into the markup: every string a person reads goes through t()', () => {
    const files = sources(root);
    expect(files.length).toBeGreaterThan(3);
    const found = files.flatMap((f) => literalStrings(f, readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('catches a literal word, a literal label and leaves t() alone', () => {
    const sample = `const a = <p>Lưu lại</p>; const b = <button aria-label="Close" />;
      const c = <p>{t('x')} — {n}</p>;`;
    expect(literalStrings(path.join(root, 'x.tsx'), sample)).toHaveLength(2);
  });
});
