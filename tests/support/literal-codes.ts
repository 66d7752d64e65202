// Finds error codes written as string literals outside the registry (schema/errors.ts): a registry
// code anywhere but the typed first argument of crossgateError/errorBody, or any SNAKE_CASE string
// handed to a `code` property or compared with one.
import ts from 'typescript';
import { isErrorCode } from '../../schema/errors';

export interface LiteralCode {
  file: string;
  line: number;
  text: string;
}

const TYPED_MAKERS = new Set(['crossgateError', 'errorBody']);
/** Municipality codes are 2 to 8 letters without underscores; error codes are longer or snake. */
const LOOKS_LIKE_A_CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[A-Z]{9,}$/;

function isTypedArgument(node: ts.Node): boolean {
  const call = node.parent;
  return (
    ts.isCallExpression(call) &&
    call.arguments[0] === node &&
    ts.isIdentifier(call.expression) &&
    TYPED_MAKERS.has(call.expression.text)
  );
}

function isCodeName(node: ts.Node): boolean {
  if (ts.isIdentifier(node)) return node.text === 'code';
  if (ts.isPropertyAccessExpression(node)) return node.name.text === 'code';
  return false;
}

/** True when the literal becomes or is compared with a `code`, through ?:, ??, || and casts. */
function inCodePosition(node: ts.Node): boolean {
  let child: ts.Node = node;
  let parent = node.parent;
  while (
    ts.isConditionalExpression(parent) ||
    ts.isParenthesizedExpression(parent) ||
    ts.isAsExpression(parent) ||
    (ts.isBinaryExpression(parent) &&
      [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(parent.operatorToken.kind))
  ) {
    child = parent;
    parent = parent.parent;
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === child) {
    return ts.isIdentifier(parent.name) && parent.name.text === 'code';
  }
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    const comparison = [
      ts.SyntaxKind.EqualsEqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsEqualsToken,
      ts.SyntaxKind.EqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsToken,
    ].includes(op);
    const other = parent.left === child ? parent.right : parent.left;
    return comparison && isCodeName(other);
  }
  return false;
}

export function literalCodes(file: string, source: string): LiteralCode[] {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: LiteralCode[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const text = node.text;
      const registered = isErrorCode(text);
      const flagged =
        (registered && !isTypedArgument(node)) || (LOOKS_LIKE_A_CODE.test(text) && inCodePosition(node));
      if (flagged) {
        const line = tree.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        found.push({ file, line, text });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return found;
}
