export const ValueType = {
  STRING: 'STRING',
  JSON: 'JSON',
  NUMBER: 'NUMBER',
  BOOLEAN: 'BOOLEAN',
  BINARY: 'BINARY',
  DATETIME: 'DATETIME',
  DATE: 'DATE',
  DURATION: 'DURATION',
} as const;

export type ValueType = (typeof ValueType)[keyof typeof ValueType];

export const VALUE_TYPES = Object.values(ValueType);
