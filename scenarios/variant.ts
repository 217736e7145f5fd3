/**
 * The seed scenarios run a target in its buggy or fixed variant: VARIANT=fixed npx soak run ...
 * (bench/accuracy runs both). Anything else is a usage error, caught before a run starts.
 */
export function variant(): 'buggy' | 'fixed' {
  const value = process.env.VARIANT ?? 'buggy';
  if (value !== 'buggy' && value !== 'fixed') throw new Error(`VARIANT must be buggy or fixed, got "${value}"`);
  return value;
}
