import { readFileOrFail } from '../io/readFile.js';
import { ParseError } from '../errors.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { GradientBoostedTrees, type GbdtParams } from './booster.js';
import { OBJECTIVES, type ObjectiveName } from './objectives.js';
import { ROOT_PARENT, type RegressionTree } from './tree.js';

/**
 * XGBoost's JSON model (Booster.save_model('m.json'), schema of xgboost 1.7 and later), for
 * gbtree regression with one target. Written as xgboost 1.7 writes it; read from 1.7 and 2.x files
 * (2.x writes base_score as "[v]"). Extra keys spramnet needs (its hyper-parameters) travel in
 * learner.attributes, which xgboost keeps and ignores.
 */
export interface XGBoostModelJson {
  learner: {
    attributes: Record<string, string>;
    feature_names: string[];
    feature_types: string[];
    gradient_booster: {
      model: {
        gbtree_model_param: { num_parallel_tree: string; num_trees: string; size_leaf_vector: string };
        tree_info: number[];
        trees: XGBoostTreeJson[];
      };
      name: string;
    };
    learner_model_param: { base_score: string; boost_from_average: string; num_class: string; num_feature: string; num_target: string };
    objective: { name: string; [key: string]: unknown };
  };
  version: number[];
}

interface XGBoostTreeJson {
  base_weights: number[];
  categories: number[];
  categories_nodes: number[];
  categories_segments: number[];
  categories_sizes: number[];
  default_left: number[];
  id: number;
  left_children: number[];
  loss_changes: number[];
  parents: number[];
  right_children: number[];
  split_conditions: number[];
  split_indices: number[];
  split_type: number[];
  sum_hessian: number[];
  tree_param: { num_deleted: string; num_feature: string; num_nodes: string; size_leaf_vector: string };
}

/**
 * Float fields stay Float32Array until serialised: XGBoost's JSON reader tells integers from reals by
 * their text and refuses "0" where it wants a float, so these print with a decimal point.
 */
function floats(a: Float32Array): number[] {
  return a as unknown as number[];
}

function realText(v: number): string {
  if (Object.is(v, -0)) return '-0.0';
  const text = String(v);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** JSON text of a model in which every Float32Array is written as an array of reals. */
export function stringifyXGBoostJson(value: unknown): string {
  if (value instanceof Float32Array) return `[${Array.from(value, realText).join(',')}]`;
  if (Array.isArray(value)) return `[${value.map(stringifyXGBoostJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}:${stringifyXGBoostJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function toXGBoostJson(model: GradientBoostedTrees): XGBoostModelJson {
  const trees = model.trees.map((t, id): XGBoostTreeJson => ({
    base_weights: floats(t.baseWeight),
    categories: [],
    categories_nodes: [],
    categories_segments: [],
    categories_sizes: [],
    default_left: Array.from(t.defaultLeft),
    id,
    left_children: Array.from(t.left),
    loss_changes: floats(t.lossChange),
    parents: Array.from(t.parent),
    right_children: Array.from(t.right),
    split_conditions: floats(t.splitCondition),
    split_indices: Array.from(t.splitIndex),
    split_type: new Array(t.left.length).fill(0),
    sum_hessian: floats(t.sumHessian),
    tree_param: { num_deleted: '0', num_feature: String(model.numFeature), num_nodes: String(t.left.length), size_leaf_vector: '0' },
  }));
  const attributes: Record<string, string> = { ...model.attributes, spramnet_params: JSON.stringify(model.params) };
  if (model.bestIteration !== undefined) {
    attributes.best_iteration = String(model.bestIteration);
    attributes.best_ntree_limit = String(model.bestIteration + 1);
  }
  const objective: { name: string; [key: string]: unknown } = { name: model.params.objective };
  if (model.params.objective === 'reg:pseudohubererror') objective.pseudo_huber_param = { huber_slope: String(model.params.huberSlope) };
  else if (model.params.objective === 'reg:squarederror') objective.reg_loss_param = { scale_pos_weight: '1' };
  return {
    learner: {
      attributes,
      feature_names: [],
      feature_types: [],
      gradient_booster: {
        model: {
          gbtree_model_param: { num_parallel_tree: '1', num_trees: String(trees.length), size_leaf_vector: '0' },
          tree_info: new Array(trees.length).fill(0),
          trees,
        },
        name: 'gbtree',
      },
      learner_model_param: {
        base_score: model.baseScore.toExponential(8).toUpperCase(),
        boost_from_average: '1',
        num_class: '0',
        num_feature: String(model.numFeature),
        num_target: '1',
      },
      objective,
    },
    version: [1, 7, 4],
  };
}

export function saveXGBoostJson(model: GradientBoostedTrees, file: string): void {
  writeFileAtomic(file, stringifyXGBoostJson(toXGBoostJson(model)));
}

function field<T>(value: T | undefined, path: string, source: string): T {
  if (value === undefined || value === null) throw new ParseError(source, undefined, `not an XGBoost JSON model: missing ${path}`);
  return value;
}

function numberArray(value: unknown, length: number, path: string, source: string): number[] {
  if (!Array.isArray(value) || value.length !== length || !value.every((v) => typeof v === 'number')) {
    throw new ParseError(source, undefined, `${path} must be ${length} numbers`);
  }
  return value as number[];
}

export function fromXGBoostJson(json: unknown, source = 'model.json'): GradientBoostedTrees {
  const root = json as Partial<XGBoostModelJson>;
  const learner = field(root?.learner, 'learner', source);
  const booster = field(learner.gradient_booster, 'learner.gradient_booster', source);
  if (booster.name !== 'gbtree') throw new ParseError(source, undefined, `booster "${booster.name}" is not supported (expected gbtree)`);
  const lmp = field(learner.learner_model_param, 'learner.learner_model_param', source);
  if (Number(lmp.num_class ?? '0') > 1 || Number(lmp.num_target ?? '1') > 1) throw new ParseError(source, undefined, 'only single-target regression models are supported');
  const objectiveName = field(learner.objective?.name, 'learner.objective.name', source);
  if (!OBJECTIVES.includes(objectiveName as ObjectiveName)) {
    throw new ParseError(source, undefined, `objective "${objectiveName}" is not supported (expected ${OBJECTIVES.join(', ')})`);
  }
  const baseScore = Number(String(field(lmp.base_score, 'learner_model_param.base_score', source)).replace(/[[\]]/g, ''));
  const numFeature = Number(lmp.num_feature);
  if (!Number.isFinite(baseScore) || !Number.isInteger(numFeature)) throw new ParseError(source, undefined, 'learner_model_param has a bad base_score or num_feature');
  let params: Partial<GbdtParams> = {};
  const stored = learner.attributes?.spramnet_params;
  if (stored !== undefined) {
    try {
      params = JSON.parse(stored) as Partial<GbdtParams>;
    } catch {
      throw new ParseError(source, undefined, 'attributes.spramnet_params is not valid JSON');
    }
  }
  const huber = (learner.objective as { pseudo_huber_param?: { huber_slope?: string } }).pseudo_huber_param?.huber_slope;
  const model = new GradientBoostedTrees({ ...params, objective: objectiveName as ObjectiveName, ...(huber ? { huberSlope: Number(huber) } : {}) });
  model.baseScore = Math.fround(baseScore);
  model.numFeature = numFeature;
  for (const [key, value] of Object.entries(learner.attributes ?? {})) {
    if (key !== 'spramnet_params' && key !== 'best_iteration' && key !== 'best_ntree_limit') model.attributes[key] = String(value);
  }
  const best = learner.attributes?.best_iteration;
  model.bestIteration = best === undefined ? undefined : Number(best);
  const trees = field(booster.model?.trees, 'gradient_booster.model.trees', source);
  if (!Array.isArray(trees)) throw new ParseError(source, undefined, 'gradient_booster.model.trees must be a list');
  model.trees = trees.map((t, k) => readTree(t, numFeature, `${source}: tree ${k}`));
  return model;
}

function readTree(t: XGBoostTreeJson, numFeature: number, where: string): RegressionTree {
  const n = Number(t?.tree_param?.num_nodes);
  if (!Number.isInteger(n) || n < 1) throw new ParseError(where, undefined, 'tree_param.num_nodes must be a positive integer');
  const arr = (key: keyof XGBoostTreeJson): number[] => numberArray(t[key], n, key, where);
  if ((t.split_type ?? []).some((s) => s !== 0)) throw new ParseError(where, undefined, 'categorical splits are not supported');
  const tree: RegressionTree = {
    left: Int32Array.from(arr('left_children')),
    right: Int32Array.from(arr('right_children')),
    parent: Int32Array.from(arr('parents')),
    splitIndex: Int32Array.from(arr('split_indices')),
    splitCondition: Float32Array.from(arr('split_conditions')),
    defaultLeft: Uint8Array.from(arr('default_left')),
    lossChange: Float32Array.from(arr('loss_changes')),
    sumHessian: Float32Array.from(arr('sum_hessian')),
    baseWeight: Float32Array.from(arr('base_weights')),
  };
  for (let k = 0; k < n; k++) {
    const l = tree.left[k];
    const r = tree.right[k];
    if ((l === -1) !== (r === -1) || (l !== -1 && (l <= k || l >= n || r <= k || r >= n))) {
      throw new ParseError(where, undefined, `node ${k} has children ${l}, ${r}: expected both −1 or both later nodes`);
    }
    if (l !== -1 && (tree.splitIndex[k] < 0 || tree.splitIndex[k] >= numFeature)) {
      throw new ParseError(where, undefined, `node ${k} splits on feature ${tree.splitIndex[k]} of ${numFeature}`);
    }
  }
  if (tree.parent[0] !== ROOT_PARENT && tree.parent[0] !== -1) throw new ParseError(where, undefined, 'node 0 is not a root');
  return tree;
}

export function loadXGBoostJson(file: string): GradientBoostedTrees {
  const text = readFileOrFail(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ParseError(file, undefined, `not valid JSON (${(error as Error).message}); is the file truncated?`);
  }
  return fromXGBoostJson(json, file);
}
