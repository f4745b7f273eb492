/**
 * Stands in for `@babel/runtime-corejs3/core-js/instance/trim` (see BUNDLE_ALIASES in
 * src/cli/bundle-aliases.ts): mimetext's build asks core-js for `String.prototype.trim`, which every
 * runtime Heard runs on has natively. The polyfill brought 38 KB of core-js that each fresh isolate
 * compiled (issue 15 item 5). Like the polyfill, it hands back the value's own `trim` method.
 */
export default function trim(value: { trim: () => string }): () => string {
  return value.trim;
}
