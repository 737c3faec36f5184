/** A map rendered the way the query protocol renders maps: `<entry><key/><value/></entry>`. */
export class XmlMap {
  constructor(readonly entries: ReadonlyArray<readonly [string, XmlValue]>) {}
}

/** Anything a result can hold: objects become child elements, arrays become `<member>` lists. */
export type XmlValue =
  | string
  | number
  | boolean
  | undefined
  | XmlMap
  | readonly XmlValue[]
  | { readonly [element: string]: XmlValue };

export type XmlObject = { readonly [element: string]: XmlValue };

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Serialises a value as element content; `undefined` members are left out. */
export function toXml(value: XmlValue): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return escapeXml(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof XmlMap) {
    return value.entries
      .map(([key, item]) => `<entry><key>${escapeXml(key)}</key><value>${toXml(item)}</value></entry>`)
      .join('');
  }
  if (isList(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join('');
  return Object.entries(value)
    .filter(([, child]) => child !== undefined)
    .map(([name, child]) => `<${name}>${toXml(child)}</${name}>`)
    .join('');
}

function isList(value: XmlValue): value is readonly XmlValue[] {
  return Array.isArray(value);
}
