// Merges resolver maps of several modules into one, type by type; a field defined twice is an error.
export function mergeResolvers(...maps: object[]): Record<string, Record<string, unknown>> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      // Scalars (GraphQLScalarType instances) are taken whole; plain maps are merged field by field.
      if (
        typeof fields !== 'object' ||
        fields === null ||
        Object.getPrototypeOf(fields) !== Object.prototype
      ) {
        merged[type] = fields;
        continue;
      }
      const target = merged[type] ?? {};
      for (const [field, resolver] of Object.entries(fields)) {
        if (field in target) throw new Error(`Resolver ${type}.${field} is defined by two modules`);
        target[field] = resolver;
      }
      merged[type] = target;
    }
  }
  return merged;
}
