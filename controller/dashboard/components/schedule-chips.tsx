import { useId, useState } from 'preact/hooks';

/** What was typed in a ChipInput and not added yet: a form must not save without it. */
export function withTyped(
  typed: string,
  values: readonly string[],
  check: (typed: string, values: readonly string[]) => { value: string } | { error: string },
): { values: string[] } | { error: string } {
  const text = typed.trim();
  if (text === '') return { values: [...values] };
  // Checked against no values: typing one already there again is no reason to refuse a save.
  const checked = check(text, []);
  if ('error' in checked) return checked;
  return { values: values.includes(checked.value) ? [...values] : [...values, checked.value] };
}

/**
 * A list of short values as removable chips with a text box to add one (Enter or the button);
 * `check` turns what was typed into the value to add, or says why it cannot be added.
 * Used for anniversaries (MM-DD) and board tags. `onTyped` tells the form what is typed and
 * not added yet, so that saving adds it (withTyped) or says why it cannot: a date typed and
 * never added was dropped, and the schedule saved without it ran every day.
 */
export function ChipInput(props: {
  legend: string;
  hint?: string;
  values: readonly string[];
  onChange: (values: string[]) => void;
  inputLabel: string;
  addLabel: string;
  removeLabel: (value: string) => string;
  check: (typed: string, values: readonly string[]) => { value: string } | { error: string };
  placeholder?: string;
  /** Values offered with one click (e.g. the tags other boards already carry). */
  suggestions?: readonly string[];
  suggestLabel?: (value: string) => string;
  display?: (value: string) => string;
  testId?: string;
  onTyped?: (typed: string) => void;
}) {
  const id = useId();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = (text: string) => {
    if (text.trim() === '') return;
    const checked = props.check(text.trim(), props.values);
    if ('error' in checked) {
      setError(checked.error);
      return;
    }
    setError(null);
    setTyped('');
    props.onTyped?.('');
    if (!props.values.includes(checked.value)) props.onChange([...props.values, checked.value]);
  };
  const offered = (props.suggestions ?? []).filter((s) => !props.values.includes(s));
  return (
    <fieldset class="schedule-chip-field" data-testid={props.testId}>
      <legend>{props.legend}</legend>
      {props.values.length > 0 ? (
        <ul class="schedule-chips">
          {props.values.map((v) => (
            <li key={v} class="schedule-chip" data-chip={v}>
              <span>{props.display ? props.display(v) : v}</span>
              <button
                type="button"
                class="schedule-chip-remove"
                aria-label={props.removeLabel(v)}
                title={props.removeLabel(v)}
                onClick={() => {
                  props.onChange(props.values.filter((x) => x !== v));
                }}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div class="schedule-chip-add">
        <label for={id} class="sr-only">
          {props.inputLabel}
        </label>
        <input
          id={id}
          value={typed}
          placeholder={props.placeholder}
          autoComplete="off"
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={`${id}-hint ${id}-error`}
          onInput={(e) => {
            setTyped(e.currentTarget.value);
            props.onTyped?.(e.currentTarget.value);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add(typed);
            }
          }}
        />
        <button
          type="button"
          onClick={() => {
            add(typed);
          }}
        >
          {props.addLabel}
        </button>
      </div>
      <p id={`${id}-error`} class="form-error" role="alert">
        {error ?? ''}
      </p>
      {offered.length > 0 ? (
        <div class="schedule-chip-suggestions">
          {offered.map((s) => (
            <button
              key={s}
              type="button"
              class="small schedule-chip-suggestion"
              aria-label={props.suggestLabel ? props.suggestLabel(s) : s}
              onClick={() => {
                add(s);
              }}
            >
              + {s}
            </button>
          ))}
        </div>
      ) : null}
      {props.hint ? (
        <small id={`${id}-hint`} class="hint">
          {props.hint}
        </small>
      ) : (
        <span id={`${id}-hint`} hidden />
      )}
    </fieldset>
  );
}
