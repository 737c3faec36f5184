import { type AttributeValue, compareScalars, typeOf } from './attributeValues';
import { validation } from './errors';
import { RESERVED_WORDS } from './reservedWords';

/**
 * A recursive-descent parser for DynamoDB's expression languages (Developer Guide, "Using
 * expressions in DynamoDB"): condition (and filter, key condition) expressions, update expressions
 * and projection expressions. Placeholders are resolved against the request's
 * ExpressionAttributeNames/Values while parsing; the errors are DynamoDB's, worded as it words
 * them ("Invalid ConditionExpression: Syntax error; token: ...", reserved keywords, undefined
 * placeholders, operand types), a syntax error first, then the first other problem found.
 */

export type PathElement = string | number;
/** A document path with its names resolved: `a.b[0]` is ['a', 'b', 0]. */
export type Path = PathElement[];

export type Operand =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; path: Path }
  | { kind: 'if_not_exists'; path: Path; fallback: Operand }
  | { kind: 'list_append'; left: Operand; right: Operand }
  | { kind: 'arithmetic'; operator: '+' | '-'; left: Operand; right: Operand };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type BooleanFunction =
  | 'attribute_exists'
  | 'attribute_not_exists'
  | 'attribute_type'
  | 'begins_with'
  | 'contains';

export type Condition =
  | { kind: 'compare'; operator: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; operand: Operand; low: Operand; high: Operand }
  | { kind: 'in'; operand: Operand; list: Operand[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; condition: Condition }
  | { kind: 'function'; name: BooleanFunction; args: Operand[] };

export type UpdateAction =
  | { kind: 'SET'; path: Path; value: Operand }
  | { kind: 'REMOVE'; path: Path }
  | { kind: 'ADD' | 'DELETE'; path: Path; value: AttributeValue };

/** Which placeholders the expressions of one request used, to report the unused ones. */
export class Placeholders {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();

  constructor(
    readonly names: Record<string, string> | undefined,
    readonly values: Record<string, AttributeValue> | undefined,
  ) {}

  /** After every expression of the request is parsed: DynamoDB refuses unused placeholders. */
  checkAllUsed(): void {
    const unusedNames = Object.keys(this.names ?? {}).filter((n) => !this.usedNames.has(n));
    if (unusedNames.length > 0) {
      throw validation(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`,
      );
    }
    const unusedValues = Object.keys(this.values ?? {}).filter((v) => !this.usedValues.has(v));
    if (unusedValues.length > 0) {
      throw validation(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`,
      );
    }
  }
}

type TokenKind = 'name' | 'namePlaceholder' | 'valuePlaceholder' | 'number' | 'symbol' | 'eof';
type Token = { kind: TokenKind; text: string; start: number; end: number };

const SYMBOLS = ['<>', '<=', '>=', '=', '<', '>', '(', ')', '[', ']', ',', '.', '+', '-'];
const COMPARATORS: readonly string[] = ['=', '<>', '<', '<=', '>', '>='];
const BOOLEAN_FUNCTIONS: Record<BooleanFunction, number> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
};
const UPDATE_FUNCTIONS: Record<string, number> = { if_not_exists: 2, list_append: 2 };
const ATTRIBUTE_TYPES = ['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M'];
/** Words the grammars give a meaning; anywhere else they are reserved words like the others. */
const CONDITION_KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const UPDATE_KEYWORDS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE']);

function tokenize(source: string, tokens: Token[], fail: (token: Token) => never): void {
  let i = 0;
  const patterns: Array<[TokenKind, RegExp]> = [
    ['namePlaceholder', /#[A-Za-z0-9_]+/y],
    ['valuePlaceholder', /:[A-Za-z0-9_]+/y],
    ['name', /[A-Za-z_][A-Za-z0-9_]*/y],
    ['number', /[0-9]+/y],
  ];
  outer: while (i < source.length) {
    if (/\s/.test(source.charAt(i))) {
      i += 1;
      continue;
    }
    for (const [kind, pattern] of patterns) {
      pattern.lastIndex = i;
      const match = pattern.exec(source);
      if (match) {
        tokens.push({ kind, text: match[0], start: i, end: i + match[0].length });
        i += match[0].length;
        continue outer;
      }
    }
    const symbol = SYMBOLS.find((s) => source.startsWith(s, i));
    if (!symbol) fail({ kind: 'symbol', text: source.charAt(i), start: i, end: i + 1 });
    tokens.push({ kind: 'symbol', text: symbol, start: i, end: i + symbol.length });
    i += symbol.length;
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: source.length, end: source.length });
}

/** Semantic problems are kept until the whole expression has parsed: a syntax error wins. */
type Problem = 'parens' | 'function' | 'misused' | 'reserved' | 'placeholder' | 'operand' | 'paths';
const PROBLEM_ORDER: Problem[] = [
  'parens',
  'function',
  'misused',
  'reserved',
  'placeholder',
  'operand',
  'paths',
];

class Parser {
  private readonly tokens: Token[] = [];
  private position = 0;
  private readonly problems = new Map<Problem, string>();

  constructor(
    private readonly source: string,
    /** `ConditionExpression`, `UpdateExpression`, ...: the label of every error. */
    private readonly label: string,
    private readonly placeholders: Placeholders,
    private readonly keywords: ReadonlySet<string>,
  ) {
    if (source.trim() === '') throw this.error('The expression can not be empty;');
    tokenize(source, this.tokens, (token) => this.syntaxError(token));
  }

  error(message: string) {
    return validation(`Invalid ${this.label}: ${message}`);
  }

  private syntaxError(token: Token): never {
    // "near" is the source from the token before the offending one to the end of that token.
    const index = this.tokens.indexOf(token);
    const previous = index < 0 ? this.tokens.at(-1) : this.tokens[index - 1];
    const near = this.source.slice(previous?.start ?? token.start, token.end).trim();
    throw this.error(`Syntax error; token: "${token.text}", near: "${near}"`);
  }

  problem(kind: Problem, message: string): void {
    if (!this.problems.has(kind)) this.problems.set(kind, message);
  }

  /** Throws the first semantic problem found, in DynamoDB's order. */
  finish(): void {
    if (this.peek().kind !== 'eof') this.syntaxError(this.peek());
    for (const kind of PROBLEM_ORDER) {
      const message = this.problems.get(kind);
      if (message !== undefined) throw this.error(message);
    }
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.position += 1;
    return token;
  }

  isSymbol(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'symbol' && token.text === text;
  }

  isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'name' && token.text.toUpperCase() === word;
  }

  expectSymbol(text: string): void {
    if (!this.isSymbol(text)) this.syntaxError(this.peek());
    this.next();
  }

  expectKeyword(word: string): void {
    if (!this.isKeyword(word)) this.syntaxError(this.peek());
    this.next();
  }

  // ---- Paths and operands.

  path(): Path {
    const path: Path = [this.pathName()];
    for (;;) {
      if (this.isSymbol('.')) {
        this.next();
        path.push(this.pathName());
      } else if (this.isSymbol('[')) {
        this.next();
        const index = this.next();
        if (index.kind !== 'number') this.syntaxError(index);
        this.expectSymbol(']');
        path.push(Number(index.text));
      } else {
        return path;
      }
    }
  }

  private pathName(): string {
    const token = this.next();
    if (token.kind === 'namePlaceholder') {
      this.placeholders.usedNames.add(token.text);
      const name = this.placeholders.names?.[token.text];
      if (name === undefined) {
        this.problem(
          'placeholder',
          `An expression attribute name used in the document path is not defined; attribute name: ${token.text}`,
        );
        return token.text;
      }
      return name;
    }
    if (token.kind !== 'name' || this.keywords.has(token.text.toUpperCase())) this.syntaxError(token);
    if (RESERVED_WORDS.has(token.text.toUpperCase())) {
      this.problem('reserved', `Attribute name is a reserved keyword; reserved keyword: ${token.text}`);
    }
    return token.text;
  }

  value(): AttributeValue | undefined {
    const token = this.next();
    if (token.kind !== 'valuePlaceholder') this.syntaxError(token);
    this.placeholders.usedValues.add(token.text);
    const value = this.placeholders.values?.[token.text];
    if (value === undefined) {
      this.problem(
        'placeholder',
        `An expression attribute value used in expression is not defined; attribute value: ${token.text}`,
      );
    }
    return value;
  }

  /** An operand of a condition: a path, a :value or size(path). */
  conditionOperand(): Operand {
    const token = this.peek();
    if (token.kind === 'valuePlaceholder') return this.valueOperand();
    if (token.kind === 'name' && this.isSymbol('(', 1)) {
      const name = token.text;
      const args = this.functionArguments(() => this.conditionOperand());
      if (name !== 'size') {
        this.checkFunctionName(name);
        this.problem(
          'misused',
          `The function is not allowed to be used this way in an expression; function: ${name}`,
        );
        return { kind: 'value', value: { NULL: true } };
      }
      return this.sizeOperand(args);
    }
    return { kind: 'path', path: this.path() };
  }

  private valueOperand(): Operand {
    return { kind: 'value', value: this.value() ?? { NULL: true } };
  }

  private sizeOperand(args: Operand[]): Operand {
    this.checkArity('size', args, 1);
    const [arg] = args;
    if (arg?.kind === 'path') return { kind: 'size', path: arg.path };
    if (arg?.kind === 'value') {
      const type = typeOf(arg.value);
      if (type === 'N' || type === 'BOOL' || type === 'NULL') {
        this.problem(
          'operand',
          `Incorrect operand type for operator or function; operator or function: size, operand type: ${type}`,
        );
      }
    }
    this.problem('operand', 'Operator or function requires a document path; operator or function: size');
    return { kind: 'size', path: [] };
  }

  functionArguments(argument: () => Operand): Operand[] {
    this.next(); // the name
    this.expectSymbol('(');
    const args: Operand[] = [];
    if (!this.isSymbol(')')) {
      args.push(argument());
      while (this.isSymbol(',')) {
        this.next();
        args.push(argument());
      }
    }
    this.expectSymbol(')');
    return args;
  }

  checkFunctionName(name: string): void {
    if (!(name in BOOLEAN_FUNCTIONS) && !(name in UPDATE_FUNCTIONS) && name !== 'size') {
      this.problem('function', `Invalid function name; function: ${name}`);
    }
  }

  checkArity(name: string, args: Operand[], count: number): boolean {
    if (args.length === count) return true;
    this.problem(
      'operand',
      `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`,
    );
    return false;
  }

  operandType(name: string, type: string): void {
    this.problem(
      'operand',
      `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`,
    );
  }

  // ---- Conditions.

  condition(): Condition {
    let left = this.conjunction();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', condition: this.negation() };
    }
    return this.primary();
  }

  private primary(): Condition {
    if (this.isSymbol('(')) {
      this.next();
      if (this.isSymbol('(')) this.problem('parens', 'The expression has redundant parentheses;');
      const inner = this.condition();
      this.expectSymbol(')');
      return inner;
    }
    const token = this.peek();
    // A boolean function (or an unknown one) is a condition; size() and the update functions are operands.
    if (
      token.kind === 'name' &&
      this.isSymbol('(', 1) &&
      token.text !== 'size' &&
      !(token.text in UPDATE_FUNCTIONS)
    ) {
      return this.booleanFunction();
    }
    const left = this.conditionOperand();
    const next = this.peek();
    if (next.kind === 'symbol' && COMPARATORS.includes(next.text)) {
      this.next();
      const right = this.conditionOperand();
      this.checkDistinct(next.text, left, right);
      return { kind: 'compare', operator: next.text as Comparator, left, right };
    }
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const low = this.conditionOperand();
      this.expectKeyword('AND');
      const high = this.conditionOperand();
      this.checkBounds(low, high);
      return { kind: 'between', operand: left, low, high };
    }
    if (this.isKeyword('IN')) {
      this.next();
      this.expectSymbol('(');
      const list = [this.conditionOperand()];
      while (this.isSymbol(',')) {
        this.next();
        list.push(this.conditionOperand());
      }
      this.expectSymbol(')');
      return { kind: 'in', operand: left, list };
    }
    return this.syntaxError(next);
  }

  private booleanFunction(): Condition {
    const name = this.peek().text;
    const args = this.functionArguments(() => this.conditionOperand());
    this.checkFunctionName(name);
    if (!(name in BOOLEAN_FUNCTIONS)) {
      this.problem(
        'misused',
        `The function is not allowed to be used this way in an expression; function: ${name}`,
      );
      return { kind: 'function', name: 'attribute_exists', args };
    }
    const fn = name as BooleanFunction;
    if (!this.checkArity(fn, args, BOOLEAN_FUNCTIONS[fn])) return { kind: 'function', name: fn, args };
    const [first, second] = args;
    if ((fn === 'attribute_exists' || fn === 'attribute_not_exists') && first?.kind !== 'path') {
      this.problem('operand', `Operator or function requires a document path; operator or function: ${fn}`);
    }
    if (fn === 'begins_with' || fn === 'contains') this.checkDistinct(fn, first, second);
    if (fn === 'begins_with') {
      for (const arg of args) {
        const type = arg.kind === 'value' ? typeOf(arg.value) : undefined;
        if (type && type !== 'S' && type !== 'B') this.operandType(fn, type);
      }
    }
    if (fn === 'attribute_type') {
      const type = second?.kind === 'value' ? typeOf(second.value) : undefined;
      if (type !== 'S') {
        this.operandType(fn, type ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
      } else if (second?.kind === 'value') {
        const name = (second.value as { S: string }).S;
        if (!ATTRIBUTE_TYPES.includes(name)) {
          this.problem(
            'operand',
            `Invalid attribute type name found; type: ${name}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`,
          );
        }
      }
    }
    return { kind: 'function', name: fn, args };
  }

  private checkDistinct(operator: string, left: Operand | undefined, right: Operand | undefined): void {
    if (left?.kind === 'path' && right?.kind === 'path' && samePath(left.path, right.path)) {
      this.problem(
        'operand',
        `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${pathText(left.path)}`,
      );
    }
  }

  private checkBounds(low: Operand, high: Operand): void {
    if (low.kind !== 'value' || high.kind !== 'value') return;
    const lowType = typeOf(low.value);
    const highType = typeOf(high.value);
    const shown = `lower bound operand: AttributeValue: {${lowType}:${scalarText(low.value)}}, upper bound operand: AttributeValue: {${highType}:${scalarText(high.value)}}`;
    if (lowType !== highType) {
      this.problem(
        'operand',
        `The BETWEEN operator requires same data type for lower and upper bounds; ${shown}`,
      );
    } else if ((compareScalars(low.value, high.value) ?? 0) > 0) {
      this.problem(
        'operand',
        `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${shown}`,
      );
    }
  }

  // ---- Update expressions.

  update(): UpdateAction[] {
    const actions: UpdateAction[] = [];
    const seen = new Set<string>();
    do {
      const token = this.next();
      const clause = token.kind === 'name' ? token.text.toUpperCase() : '';
      if (!UPDATE_KEYWORDS.has(clause)) this.syntaxError(token);
      if (seen.has(clause))
        this.problem('function', `The "${clause}" section can only be used once in an update expression;`);
      seen.add(clause);
      for (;;) {
        actions.push(this.updateAction(clause));
        if (!this.isSymbol(',')) break;
        this.next();
      }
    } while (this.peek().kind !== 'eof');
    this.checkOverlaps(actions.map((a) => a.path));
    return actions;
  }

  private updateAction(clause: string): UpdateAction {
    const path = this.path();
    if (clause === 'REMOVE') return { kind: 'REMOVE', path };
    if (clause === 'SET') {
      this.expectSymbol('=');
      return { kind: 'SET', path, value: this.setValue() };
    }
    const value = this.value() ?? { NULL: true };
    const type = typeOf(value);
    const sets = clause === 'ADD' ? ['N', 'SS', 'NS', 'BS'] : ['SS', 'NS', 'BS'];
    if (!sets.includes(type)) {
      this.problem(
        'operand',
        `Incorrect operand type for operator or function; operator: ${clause}, operand type: ${TYPE_NAMES[type] ?? type}`,
      );
    }
    return { kind: clause as 'ADD' | 'DELETE', path, value };
  }

  private setValue(): Operand {
    const left = this.setOperand();
    if (this.isSymbol('+') || this.isSymbol('-')) {
      const operator = this.next().text as '+' | '-';
      const right = this.setOperand();
      for (const operand of [left, right]) {
        if (operand.kind === 'value' && typeOf(operand.value) !== 'N')
          this.operandType(operator, typeOf(operand.value));
      }
      return { kind: 'arithmetic', operator, left, right };
    }
    return left;
  }

  private setOperand(): Operand {
    const token = this.peek();
    if (token.kind === 'valuePlaceholder') return this.valueOperand();
    if (token.kind === 'name' && this.isSymbol('(', 1)) {
      const name = token.text;
      const args = this.functionArguments(() => this.setValue());
      this.checkFunctionName(name);
      if (!(name in UPDATE_FUNCTIONS)) {
        this.problem('misused', `The function is not allowed in an update expression; function: ${name}`);
        return { kind: 'value', value: { NULL: true } };
      }
      const [first, second] = args;
      if (!this.checkArity(name, args, 2) || !first || !second)
        return { kind: 'value', value: { NULL: true } };
      if (name === 'if_not_exists') {
        if (first.kind !== 'path') {
          this.problem(
            'operand',
            'Operator or function requires a document path; operator or function: if_not_exists',
          );
          return second;
        }
        return { kind: 'if_not_exists', path: first.path, fallback: second };
      }
      for (const operand of args) {
        if (operand.kind === 'value' && typeOf(operand.value) !== 'L')
          this.operandType('list_append', typeOf(operand.value));
      }
      return { kind: 'list_append', left: first, right: second };
    }
    return { kind: 'path', path: this.path() };
  }

  private checkOverlaps(paths: Path[]): void {
    paths.forEach((one, i) => {
      for (const two of paths.slice(i + 1)) {
        const shared = Math.min(one.length, two.length);
        let k = 0;
        while (k < shared && one[k] === two[k]) k += 1;
        if (k < shared && typeof one[k] !== typeof two[k] && one.slice(0, k).every((e, j) => e === two[j])) {
          this.problem(
            'paths',
            `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathText(one)}, path two: ${pathText(two)}`,
          );
        } else if (k === shared) {
          this.problem(
            'paths',
            `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(one)}, path two: ${pathText(two)}`,
          );
        }
      }
    });
  }

  // ---- Projection expressions.

  projection(): Path[] {
    const paths = [this.path()];
    while (this.isSymbol(',')) {
      this.next();
      paths.push(this.path());
    }
    this.checkOverlaps(paths);
    return paths;
  }
}

const TYPE_NAMES: Record<string, string> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  NULL: 'NULL',
  BOOL: 'BOOLEAN',
  L: 'LIST',
  M: 'MAP',
};

function scalarText(value: AttributeValue): string {
  const content = Object.values(value)[0];
  return typeof content === 'string' ? content : JSON.stringify(content);
}

export function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((e, i) => e === b[i]);
}

/** A path as DynamoDB prints it in errors: `[a, b, [0]]`. */
export function pathText(path: Path): string {
  return `[${path.map((e) => (typeof e === 'number' ? `[${e}]` : e)).join(', ')}]`;
}

export function parseCondition(source: string, label: string, placeholders: Placeholders): Condition {
  const parser = new Parser(source, label, placeholders, CONDITION_KEYWORDS);
  const condition = parser.condition();
  parser.finish();
  return condition;
}

export function parseUpdate(source: string, placeholders: Placeholders): UpdateAction[] {
  const parser = new Parser(source, 'UpdateExpression', placeholders, UPDATE_KEYWORDS);
  const actions = parser.update();
  parser.finish();
  return actions;
}

export function parseProjection(source: string, placeholders: Placeholders): Path[] {
  const parser = new Parser(source, 'ProjectionExpression', placeholders, new Set());
  const paths = parser.projection();
  parser.finish();
  return paths;
}
