/**
 * YAML as exports write it (shared/reference/architect-export.md section 2, "scalars"): 2-space
 * indentation, block style, no comments; strings holding `[`, `:`, `#` or a newline double-quoted
 * (newlines as `\n`), other strings plain where YAML allows it. The `yaml` package quotes a string
 * that would read back as another type under the YAML 1.2 core schema (`"1.5"`, `"true"`, `""`), so
 * the text parses back to the same data. Words a YAML 1.1 reader takes for booleans (`yes`, `no`,
 * `on`, `off`, `y`, `n`) are double-quoted too (choice: newer files quote a decision's `"yes"` and
 * `"no"`, as ResolveContact.yaml does; older exports wrote them plain, archy-format.md).
 */
import { Document, isScalar, visit } from 'yaml';

const MUST_DOUBLE_QUOTE = /[[:#\n]/;
const YAML_1_1_BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

export function toExportYaml(data: Record<string, unknown>): string {
  // Each object is written where it is: no anchors or aliases, even for a value used twice.
  const doc = new Document(data, { version: '1.2', aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (
        isScalar(node) &&
        typeof node.value === 'string' &&
        (MUST_DOUBLE_QUOTE.test(node.value) || YAML_1_1_BOOLEAN.test(node.value))
      )
        node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({
    indent: 2,
    indentSeq: true,
    // No folding: a long string stays on its line, as in exports.
    lineWidth: 0,
    minContentWidth: 0,
    // Where plain is impossible, double quotes (as exports), never single.
    singleQuote: false,
    // `\n` and `\"` escapes, never a line folded inside the quotes.
    doubleQuotedAsJSON: true,
  });
}
