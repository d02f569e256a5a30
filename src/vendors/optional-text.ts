import { z } from 'zod';

/** Optional vendor text where absent, `null` and `""` all mean none: read as `null`. */
export const emptyTextAsNull = z
  .string()
  .nullish()
  .transform((text) => (text ? text : null));

/** Optional vendor text where absent and `null` mean none, read as `null`; `""` is kept as sent. */
export const absentTextAsNull = z
  .string()
  .nullish()
  .transform((text) => text ?? null);
