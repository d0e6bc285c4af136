/**
 * One regression tree in XGBoost's array layout (the JSON model's fields): node 0 is the root, a
 * leaf has left = −1 and its value in splitCondition. A row goes left when x < splitCondition
 * (compared in float32, as XGBoost does) and takes defaultLeft when x is missing.
 */
export interface RegressionTree {
  left: Int32Array;
  right: Int32Array;
  parent: Int32Array;
  splitIndex: Int32Array;
  splitCondition: Float32Array;
  defaultLeft: Uint8Array;
  lossChange: Float32Array;
  sumHessian: Float32Array;
  baseWeight: Float32Array;
}

export const ROOT_PARENT = 2147483647;

export function emptyTree(nodes: number): RegressionTree {
  return {
    left: new Int32Array(nodes).fill(-1),
    right: new Int32Array(nodes).fill(-1),
    parent: new Int32Array(nodes).fill(ROOT_PARENT),
    splitIndex: new Int32Array(nodes),
    splitCondition: new Float32Array(nodes),
    defaultLeft: new Uint8Array(nodes),
    lossChange: new Float32Array(nodes),
    sumHessian: new Float32Array(nodes),
    baseWeight: new Float32Array(nodes),
  };
}

export function nodeCount(tree: RegressionTree): number {
  return tree.left.length;
}

/** Leaf index reached by one row of float32 features (XGBoost compares in float32). */
export function leafOf(tree: RegressionTree, x: Float32Array, offset: number): number {
  let node = 0;
  while (tree.left[node] !== -1) {
    const v = x[offset + tree.splitIndex[node]];
    if (v !== v) node = tree.defaultLeft[node] ? tree.left[node] : tree.right[node]; // NaN: missing
    else node = v < tree.splitCondition[node] ? tree.left[node] : tree.right[node];
  }
  return node;
}

/**
 * The tree's output with smooth splits: at a node on feature f with threshold t the row goes left
 * with weight clamp(½ − (x_f − t)/w_f, 0, 1) and right with the rest, so a row within w_f/2 of a
 * threshold gets the two subtrees blended linearly and the output is a continuous function of the
 * features. Rows farther than w_f/2 from every threshold on their path get exactly the hard
 * output; w_f = 0 is the hard split (in float32, as XGBoost compares). Missing values take the
 * default direction. Depth-first over the nodes with a non-zero weight (few: most splits are hard
 * for a given row).
 */
export function smoothTreeOutput(tree: RegressionTree, x: Float64Array, offset: number, widths: Float64Array): number {
  const { left, right, splitIndex, splitCondition, defaultLeft } = tree;
  const visit = (node: number): number => {
    if (left[node] === -1) return splitCondition[node];
    const f = splitIndex[node];
    const v = x[offset + f];
    const t = splitCondition[node];
    const w = widths[f];
    let toLeft: number;
    if (v !== v) toLeft = defaultLeft[node] ? 1 : 0;
    else if (w > 0) toLeft = Math.min(1, Math.max(0, 0.5 - (v - t) / w));
    else toLeft = Math.fround(v) < t ? 1 : 0;
    if (toLeft === 1) return visit(left[node]);
    if (toLeft === 0) return visit(right[node]);
    return toLeft * visit(left[node]) + (1 - toLeft) * visit(right[node]);
  };
  return visit(0);
}

/** The features as float32, converted once for all trees. */
export function asFloat32(values: Float64Array | Float32Array): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

export function depthOf(tree: RegressionTree): number {
  const depth = new Int32Array(nodeCount(tree));
  let max = 0;
  for (let n = 1; n < depth.length; n++) {
    depth[n] = depth[tree.parent[n]] + 1;
    max = Math.max(max, depth[n]);
  }
  return max;
}
