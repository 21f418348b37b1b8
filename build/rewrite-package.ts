/**
 * A build plugin that applies exact source rewrites to one pinned dependency's files (trim-ky.ts,
 * trim-zod.ts). Each rewrite names the file it targets, relative to `root` inside the package, and
 * must find its target there or the build fails: an upgrade cannot silently skip one.
 */
export type Rewrite = [file: string, from: RegExp, to: string];

export const rewritePackage = (name: string, pkg: string, root: string, rewrites: Rewrite[], apply?: "build") => {
  const inPackage = new RegExp(`[\\\\/]node_modules[\\\\/]${pkg}[\\\\/]${root}[\\\\/](.+)$`);
  return {
    name,
    ...(apply ? { apply } : {}),
    transform(code: string, id: string) {
      const match = inPackage.exec(id.split("?")[0]!);
      if (!match) return;
      const file = match[1]!.replace(/\\/g, "/");
      let out = code;
      for (const [target, from, to] of rewrites) {
        if (target !== file) continue;
        from.lastIndex = 0; // a /g pattern's test() leaves it moved
        if (!from.test(out)) throw new Error(`${pkg} changed: ${from} not found in ${file}`);
        from.lastIndex = 0;
        out = out.replace(from, to);
      }
      return out === code ? undefined : out;
    },
  };
};
