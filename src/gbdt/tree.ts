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
