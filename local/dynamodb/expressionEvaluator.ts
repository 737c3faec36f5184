import {
  type AttributeValue,
  addDecimals,
  compareScalars,
  equalValues,
  formatDecimal,
  type Item,
  parseDecimal,
  payload,
  typeOf,
} from './attributeValues';
import { validation } from './errors';
import type { Condition, Operand, Path, UpdateAction } from './expressionParser';

/** Evaluates parsed expressions against an item, with DynamoDB's semantics. */

export function getPath(item: Item | undefined, path: Path): AttributeValue | undefined {
  if (!item) return undefined;
  let current: AttributeValue | undefined = { M: item };
  for (const element of path) {
    if (!current) return undefined;
    if (typeof element === 'number') {
      current = payload(current, 'L')?.[element];
    } else {
      const map: Item | undefined = payload(current, 'M');
      current = map && Object.hasOwn(map, element) ? map[element] : undefined;
    }
  }
  return current;
}

function sizeOf(value: AttributeValue | undefined): AttributeValue | undefined {
  if (!value) return undefined;
  const type = typeOf(value);
  const content = (value as Record<string, unknown>)[type];
  let size: number | undefined;
  if (type === 'S') size = [...(content as string)].length;
  else if (type === 'B') size = Buffer.from(content as string, 'base64').length;
  else if (type === 'SS' || type === 'NS' || type === 'BS' || type === 'L')
    size = (content as unknown[]).length;
  else if (type === 'M') size = Object.keys(content as Item).length;
  return size === undefined ? undefined : { N: String(size) };
}

function operandValue(item: Item | undefined, operand: Operand): AttributeValue | undefined {
  switch (operand.kind) {
    case 'path':
      return getPath(item, operand.path);
    case 'value':
      return operand.value;
    case 'size':
      return sizeOf(getPath(item, operand.path));
    default:
      return undefined;
  }
}

function contains(haystack: AttributeValue, needle: AttributeValue): boolean {
  const type = typeOf(haystack);
  const needleType = typeOf(needle);
  if (type === 'S' && needleType === 'S')
    return (haystack as { S: string }).S.includes((needle as { S: string }).S);
  if (type === 'B' && needleType === 'B') {
    return Buffer.from((haystack as { B: string }).B, 'base64').includes(
      Buffer.from((needle as { B: string }).B, 'base64'),
    );
  }
  if (type === 'SS' || type === 'NS' || type === 'BS') {
    if (`${needleType}S` !== type) return false;
    const element = Object.values(needle)[0] as string;
    return (Object.values(haystack)[0] as string[]).includes(element);
  }
  if (type === 'L') return (haystack as { L: AttributeValue[] }).L.some((v) => equalValues(v, needle));
  return false;
}

function beginsWith(value: AttributeValue, prefix: AttributeValue): boolean {
  const type = typeOf(value);
  if (type !== typeOf(prefix)) return false;
  if (type === 'S') return (value as { S: string }).S.startsWith((prefix as { S: string }).S);
  if (type === 'B') {
    const bytes = Buffer.from((value as { B: string }).B, 'base64');
    const start = Buffer.from((prefix as { B: string }).B, 'base64');
    return bytes.subarray(0, start.length).equals(start);
  }
  return false;
}

export function evaluateCondition(item: Item | undefined, condition: Condition): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(item, condition.left) && evaluateCondition(item, condition.right);
    case 'or':
      return evaluateCondition(item, condition.left) || evaluateCondition(item, condition.right);
    case 'not':
      return !evaluateCondition(item, condition.condition);
    case 'compare': {
      const left = operandValue(item, condition.left);
      const right = operandValue(item, condition.right);
      if (condition.operator === '<>') return !(left && right && equalValues(left, right));
      if (!left || !right) return false;
      if (condition.operator === '=') return equalValues(left, right);
      const order = compareScalars(left, right);
      if (order === undefined) return false;
      if (condition.operator === '<') return order < 0;
      if (condition.operator === '<=') return order <= 0;
      if (condition.operator === '>') return order > 0;
      return order >= 0;
    }
    case 'between': {
      const value = operandValue(item, condition.operand);
      const low = operandValue(item, condition.low);
      const high = operandValue(item, condition.high);
      if (!value || !low || !high) return false;
      const fromLow = compareScalars(value, low);
      const toHigh = compareScalars(value, high);
      return fromLow !== undefined && toHigh !== undefined && fromLow >= 0 && toHigh <= 0;
    }
    case 'in': {
      const value = operandValue(item, condition.operand);
      return (
        value !== undefined &&
        condition.list.some((candidate) => {
          const other = operandValue(item, candidate);
          return other !== undefined && equalValues(value, other);
        })
      );
    }
    case 'function': {
      const [first, second] = condition.args;
      const value = first && operandValue(item, first);
      const argument = second && operandValue(item, second);
      switch (condition.name) {
        case 'attribute_exists':
          return value !== undefined;
        case 'attribute_not_exists':
          return value === undefined;
        case 'attribute_type':
          return value !== undefined && argument !== undefined && typeOf(value) === payload(argument, 'S');
        case 'begins_with':
          return value !== undefined && argument !== undefined && beginsWith(value, argument);
        case 'contains':
          return value !== undefined && argument !== undefined && contains(value, argument);
      }
    }
  }
}

// ---- Updates.

const refersToMissing = () =>
  validation('The provided expression refers to an attribute that does not exist in the item');
const wrongType = () => validation('An operand in the update expression has an incorrect data type');
const invalidPath = () =>
  validation('The document path provided in the update expression is invalid for update');

function updateValue(item: Item, operand: Operand): AttributeValue {
  switch (operand.kind) {
    case 'path': {
      const value = getPath(item, operand.path);
      if (!value) throw refersToMissing();
      return value;
    }
    case 'value':
      return operand.value;
    case 'if_not_exists':
      return getPath(item, operand.path) ?? updateValue(item, operand.fallback);
    case 'list_append': {
      const left = payload(updateValue(item, operand.left), 'L');
      const right = payload(updateValue(item, operand.right), 'L');
      if (!left || !right) throw wrongType();
      return { L: [...left, ...right] };
    }
    case 'arithmetic': {
      const left = payload(updateValue(item, operand.left), 'N');
      const right = payload(updateValue(item, operand.right), 'N');
      if (left === undefined || right === undefined) throw wrongType();
      return {
        N: formatDecimal(addDecimals(parseDecimal(left), parseDecimal(right), operand.operator === '-')),
      };
    }
    case 'size':
      throw wrongType();
  }
}

/** The container of the last element of `path`, or undefined when the parent is missing. */
function parentOf(item: Item, path: Path): AttributeValue | undefined {
  return path.length === 1 ? { M: item } : getPath(item, path.slice(0, -1));
}

function setPath(item: Item, path: Path, value: AttributeValue): void {
  const parent = parentOf(item, path);
  const last = path.at(-1) as string | number;
  if (!parent) throw invalidPath();
  if (typeof last === 'number') {
    const list = payload(parent, 'L');
    if (!list) throw invalidPath();
    // An index past the end appends, as DynamoDB does.
    if (last >= list.length) list.push(value);
    else list[last] = value;
    return;
  }
  const map = payload(parent, 'M');
  if (!map) throw invalidPath();
  map[last] = value;
}

function removePath(item: Item, path: Path): void {
  const parent = parentOf(item, path);
  const last = path.at(-1) as string | number;
  if (!parent) return;
  if (typeof last === 'number') {
    const list = payload(parent, 'L');
    if (list && last < list.length) list.splice(last, 1);
    return;
  }
  const map = payload(parent, 'M');
  if (map) delete map[last];
}

function setElements(value: AttributeValue): string[] | undefined {
  const type = typeOf(value);
  return type === 'SS' || type === 'NS' || type === 'BS' ? (Object.values(value)[0] as string[]) : undefined;
}

/**
 * Applies the actions to a copy of `item` (every value is computed from the item as it was
 * before the update, as DynamoDB does) and returns the new item.
 */
export function applyUpdate(original: Item, actions: UpdateAction[]): Item {
  const item = structuredClone(original);
  const values = actions.map((action) =>
    action.kind === 'SET' ? updateValue(original, action.value) : undefined,
  );
  actions.forEach((action, i) => {
    switch (action.kind) {
      case 'SET':
        setPath(item, action.path, structuredClone(values[i] as AttributeValue));
        return;
      case 'REMOVE':
        removePath(item, action.path);
        return;
      case 'ADD': {
        const current = getPath(item, action.path);
        if (!current) {
          setPath(item, action.path, structuredClone(action.value));
          return;
        }
        if (typeOf(current) !== typeOf(action.value)) throw wrongType();
        if (typeOf(current) === 'N') {
          const sum = addDecimals(
            parseDecimal((current as { N: string }).N),
            parseDecimal((action.value as { N: string }).N),
          );
          setPath(item, action.path, { N: formatDecimal(sum) });
          return;
        }
        const merged = [...new Set([...(setElements(current) ?? []), ...(setElements(action.value) ?? [])])];
        setPath(item, action.path, { [typeOf(current)]: merged } as AttributeValue);
        return;
      }
      case 'DELETE': {
        const current = getPath(item, action.path);
        if (!current) return;
        if (typeOf(current) !== typeOf(action.value)) throw wrongType();
        const removed = new Set(setElements(action.value));
        const kept = (setElements(current) ?? []).filter((e) => !removed.has(e));
        if (kept.length === 0) removePath(item, action.path);
        else setPath(item, action.path, { [typeOf(current)]: kept } as AttributeValue);
      }
    }
  });
  return item;
}

// ---- Projections.

/** The item reduced to `paths`, nested maps and lists kept in shape (list elements compacted). */
export function project(item: Item, paths: Path[]): Item {
  const result: Item = {};
  // Lists are first collected by index, then compacted in index order.
  const sparse = new Map<AttributeValue[], Map<number, AttributeValue>>();
  for (const path of paths) {
    const value = getPath(item, path);
    if (!value) continue;
    let target: AttributeValue = { M: result };
    path.forEach((element, depth) => {
      const last = depth === path.length - 1;
      const source = getPath(item, path.slice(0, depth + 1)) as AttributeValue;
      const child: AttributeValue = last
        ? structuredClone(source)
        : typeOf(source) === 'M'
          ? { M: {} }
          : { L: [] };
      if (typeof element === 'number') {
        const list = payload(target, 'L') as AttributeValue[];
        let slots = sparse.get(list);
        if (!slots) {
          slots = new Map();
          sparse.set(list, slots);
        }
        const existing = slots.get(element);
        if (existing && !last) {
          target = existing;
          return;
        }
        slots.set(element, child);
        target = child;
      } else {
        const map = payload(target, 'M') as Item;
        const existing = map[element];
        if (existing && !last) {
          target = existing;
          return;
        }
        map[element] = child;
        target = child;
      }
    });
  }
  for (const [list, slots] of sparse) {
    list.push(...[...slots.entries()].sort(([a], [b]) => a - b).map(([, v]) => v));
  }
  return result;
}
