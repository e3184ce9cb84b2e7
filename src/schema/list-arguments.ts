import { type GraphQLArgument, type GraphQLInputType, getNullableType, isInputObjectType, isListType } from 'graphql';

export interface ListArgument {
  /** Where the list is in the field's arguments: "ids", "filter.actors". */
  path: string;
  items: number;
}

/** Every list among a field's argument values, however deep in input objects. */
export function listArguments(definitions: readonly GraphQLArgument[], values: Record<string, unknown>): ListArgument[] {
  const found: ListArgument[] = [];
  const visit = (type: GraphQLInputType, value: unknown, path: string) => {
    if (value == null) return;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      // A single value where a list is expected is coerced to a list of one.
      const items = Array.isArray(value) ? value : [value];
      found.push({ path, items: items.length });
      for (const item of items) visit(nullable.ofType, item, path);
    } else if (isInputObjectType(nullable) && typeof value === 'object') {
      for (const [name, field] of Object.entries(nullable.getFields())) {
        visit(field.type, (value as Record<string, unknown>)[name], `${path}.${name}`);
      }
    }
  };
  for (const definition of definitions) visit(definition.type, values[definition.name], definition.name);
  return found;
}
