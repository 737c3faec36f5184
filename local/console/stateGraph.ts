/** The slice of an Amazon States Language definition the console draws. */
export type AslDefinition = {
  StartAt: string;
  States: Record<string, AslState>;
};

type AslState = {
  Type: string;
  Next?: string;
  Default?: string;
  Choices?: { Next?: string }[];
  Catch?: { Next?: string; ErrorEquals?: string[] }[];
};

export type GraphNode = { name: string; type: string; column: number; row: number };
export type GraphEdge = { from: string; to: string; kind: 'next' | 'catch' };
export type StateGraph = { nodes: GraphNode[]; edges: GraphEdge[] };

/**
 * Lays the states out on a grid: the path from StartAt along `Next` on the first row, then every
 * other state, in the definition's order, beside the state whose `Next` it is, or under the states
 * that catch into it.
 */
export function layoutStateGraph(definition: AslDefinition): StateGraph {
  const edges = edgesOf(definition);
  const placed = new Map<string, GraphNode>();
  const taken = new Set<string>();
  const place = (name: string, column: number, row: number) => {
    let free = row;
    while (taken.has(`${column},${free}`)) free += 1;
    taken.add(`${column},${free}`);
    placed.set(name, { name, type: definition.States[name]?.Type ?? 'Unknown', column, row: free });
  };

  let column = 0;
  for (let name: string | undefined = definition.StartAt; name && !placed.has(name); ) {
    if (!definition.States[name]) break;
    place(name, column, 0);
    column += 1;
    name = edges.find((edge) => edge.from === name && edge.kind === 'next')?.to;
  }

  for (const name of Object.keys(definition.States)) {
    if (placed.has(name)) continue;
    const incoming = edges.filter((edge) => edge.to === name && placed.has(edge.from));
    const before = incoming.find((edge) => edge.kind === 'next');
    const beforeNode = before && placed.get(before.from);
    if (beforeNode) {
      place(name, beforeNode.column + 1, beforeNode.row);
      continue;
    }
    const sources = incoming.flatMap((edge) => placed.get(edge.from) ?? []);
    const maxRow = Math.max(0, ...[...placed.values()].map((node) => node.row));
    if (sources.length === 0) {
      place(name, 0, maxRow + 1);
      continue;
    }
    const middle = Math.round(sources.reduce((sum, node) => sum + node.column, 0) / sources.length);
    place(name, middle, Math.max(...sources.map((node) => node.row)) + 1);
  }
  return { nodes: [...placed.values()], edges };
}

function edgesOf(definition: AslDefinition): GraphEdge[] {
  const edges: GraphEdge[] = [];
  const add = (from: string, to: string | undefined, kind: GraphEdge['kind']) => {
    if (to === undefined || !definition.States[to]) return;
    if (!edges.some((edge) => edge.from === from && edge.to === to)) edges.push({ from, to, kind });
  };
  for (const [name, state] of Object.entries(definition.States)) {
    add(name, state.Next, 'next');
    add(name, state.Default, 'next');
    for (const choice of state.Choices ?? []) add(name, choice.Next, 'next');
    for (const catcher of state.Catch ?? []) add(name, catcher.Next, 'catch');
  }
  return edges;
}
