/** The two boxes of the toggles demo (awful-sse "SSE and Ajax"). */
export interface ToggleState {
  readonly one: boolean;
  readonly two: boolean;
}

export type ToggleName = keyof ToggleState;

export const TOGGLE_NAMES: readonly ToggleName[] = ['one', 'two'];

/** Shared toggle state; starts as in the seed example (one on, two off). */
export function createToggles(initial: ToggleState = { one: true, two: false }) {
  let state: ToggleState = { ...initial };
  return {
    get state(): ToggleState {
      return state;
    },
    /** Flip one box and return the new state. */
    flip(name: ToggleName): ToggleState {
      state = { ...state, [name]: !state[name] };
      return state;
    },
  };
}

export type Toggles = ReturnType<typeof createToggles>;
