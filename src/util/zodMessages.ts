import * as z from 'zod';

/** The object schema at `path` inside `schema` (through optional, default, nullable, array and record wrappers), if any. */
function objectAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodObject | undefined {
  let current: z.ZodType | undefined = schema;
  const unwrap = (s: z.ZodType): z.ZodType => {
    let t = s;
    for (;;) {
      if (t instanceof z.ZodOptional || t instanceof z.ZodNullable || t instanceof z.ZodDefault) t = t.unwrap() as z.ZodType;
      else return t;
    }
  };
  for (const key of path) {
    if (current === undefined) return undefined;
    const s = unwrap(current);
    if (s instanceof z.ZodObject) current = (s.shape as Record<string, z.ZodType>)[String(key)];
    else if (s instanceof z.ZodArray) current = s.element as z.ZodType;
    else if (s instanceof z.ZodRecord) current = s.valueType as z.ZodType;
    else if (s instanceof z.ZodTuple) current = (s.def.items as z.ZodType[])[Number(key)];
    else return undefined;
  }
  if (current === undefined) return undefined;
  const s = unwrap(current);
  return s instanceof z.ZodObject ? s : undefined;
}

const describe = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

/**
 * Zod's issues as sentences that name the key (prefixed by `where`, e.g. the plan file and
 * "stages.phonons.settings") and, for an unknown key, the known ones. Validation libraries report
 * paths; users of a plan file need "stages.label.engine: unknown "x" (known: a, b)".
 */
export function zodMessages(error: z.ZodError, schema: z.ZodType, where: string, input?: unknown): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String);
    const at = [where, ...path].filter((s) => s !== '').join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(objectAt(schema, issue.path)?.shape ?? {});
      return `${at}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`;
    }
    if (issue.code === 'invalid_value') return `${at}: expected one of ${issue.values.map(describe).join(', ')}${input !== undefined ? `, got ${describe(valueAt(input, issue.path))}` : ''}`;
    if (issue.code === 'invalid_union' && 'discriminator' in issue) {
      const options = (issue as unknown as { options?: unknown[] }).options ?? [];
      return `${at}: expected one of ${options.map(describe).join(', ')}${input !== undefined ? `, got ${describe(valueAt(input, issue.path))}` : ''}`;
    }
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined && input !== undefined) return `${at}: missing (expected ${issue.expected})`;
    return `${at}: ${issue.message.replace(/^Invalid input: /, '')}`;
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}
