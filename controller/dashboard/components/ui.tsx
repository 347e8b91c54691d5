import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { useI18n, type Translate } from '../i18n';
import { problemText } from '../problems';

/** The sentence for a failed call, in the user's language. */
export function failureText(t: Translate, failure: ApiFailure): string {
  // A refusal that lists its reasons (each said from its code) gets a headline of its own;
  // the English message is shown only for a refusal the dashboard cannot explain.
  const explained = failure.problems.length > 0;
  switch (failure.code) {
    case 'conflict':
      return explained
        ? t('error.conflict')
        : t('error.conflictUnexplained', { message: failure.message });
    case 'network':
      return t('error.network');
    case 'unauthenticated':
      return t('error.unauthenticated');
    case 'forbidden':
      return explained ? t('error.refused') : t('error.forbidden');
    case 'not_found':
      return t('error.notFound');
    case 'too_many_requests':
      return t('error.rateLimited');
    case 'audit_unavailable':
      return t('error.auditUnavailable');
    case 'invalid_json':
    case 'invalid_request':
    case 'invalid_plan':
      return t('error.invalid');
    case 'invalid_credentials':
      return t('error.invalidCredentials');
    case 'csrf_failed':
      return t('error.csrf');
    case 'payload_too_large':
      return t('error.tooLarge');
    case 'timeline_too_large':
      return t('error.timelineTooLarge');
    case 'internal':
      return t('error.internal');
    default:
      return t('error.other', { message: failure.message });
  }
}

/** A refusal with every problem listed by its path, announced to screen readers. */
export function ErrorNotice(props: { failure: ApiFailure | undefined; title?: string }) {
  const { t } = useI18n();
  const { failure } = props;
  if (!failure) return null;
  return (
    <div class="notice notice-error" role="alert" data-testid="error-notice">
      <p>
        {props.title ? <strong>{props.title} </strong> : null}
        {failureText(t, failure)}
      </p>
      {failure.problems.length > 0 ? (
        <ul class="problems" data-testid="problems">
          {failure.problems.map((p) => (
            <li key={`${p.path}:${p.message}`}>
              <code>{p.path}</code> {problemText(t, p)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A short confirmation ("Saved."), read out politely. */
export function SuccessNotice(props: { text: string | null }) {
  return (
    <p class="notice notice-ok" role="status" aria-live="polite">
      {props.text ?? ''}
    </p>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="loading" role="status" aria-live="polite">
      {t('app.loading')}
    </p>
  );
}

export function PageHeader(props: { title: string; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <h1 tabIndex={-1} id="page-title">
        {props.title}
      </h1>
      <div class="page-actions">{props.children}</div>
    </header>
  );
}

/** A labelled form control; `hint` is tied to the control for screen readers. */
export function Field(props: {
  label: string;
  hint?: string;
  children: (attrs: { id: string; 'aria-describedby'?: string }) => JSX.Element;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children({ id, ...(props.hint ? { 'aria-describedby': hintId } : {}) })}
      {props.hint ? (
        <small id={hintId} class="hint">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}

/**
 * A modal dialog (the browser's own <dialog>: focus stays inside, Escape closes it).
 */
export function Dialog(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      class={props.wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onClose={props.onClose}
    >
      {props.open ? (
        <>
          <h2 id={titleId}>{props.title}</h2>
          {props.children}
        </>
      ) : null}
    </dialog>
  );
}

/** Asks before something that cannot be undone. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onCancel}>
      <p>{props.message}</p>
      <div class="dialog-actions">
        <button type="button" onClick={props.onCancel}>
          {t('action.cancel')}
        </button>
        <button type="button" class={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

/** Asks before deleting `item`; closed while there is none. */
export function DeleteDialog<Item>(props: {
  item: Item | null;
  title: string;
  message: (item: Item) => string;
  onDelete: (item: Item) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const { item } = props;
  return (
    <ConfirmDialog
      open={item !== null}
      title={props.title}
      message={item !== null ? props.message(item) : ''}
      confirmLabel={t('action.delete')}
      danger
      onConfirm={() => {
        if (item !== null) props.onDelete(item);
      }}
      onCancel={props.onCancel}
    />
  );
}

/** The workflow status of an item as a coloured badge with its words. */
export function StatusBadge(props: { status: 'draft' | 'pending' | 'approved' | 'rejected' }) {
  const { t } = useI18n();
  return <span class={`badge badge-${props.status}`}>{t(`status.${props.status}`)}</span>;
}

/**
 * A file picker whose words are the dashboard's own (the browser's would be in its language).
 */
export function FileInput(props: {
  label: string;
  hint?: string;
  accept: string;
  name: string;
  file: File | null;
  onFile: (file: File | null) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div class="field file-input">
      <span class="field-label" id={`${id}-label`}>
        {props.label}
      </span>
      <div class="file-row">
        <input
          id={id}
          class="sr-only"
          type="file"
          name={props.name}
          accept={props.accept}
          aria-labelledby={`${id}-label`}
          {...(props.hint ? { 'aria-describedby': `${id}-hint` } : {})}
          onChange={(e) => {
            props.onFile(e.currentTarget.files?.[0] ?? null);
          }}
        />
        <label for={id} class="button">
          {t('file.choose')}
        </label>
        <span class="file-name">{props.file ? props.file.name : t('file.none')}</span>
      </div>
      {props.hint ? (
        <small id={`${id}-hint`} class="hint">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}

/** The end of a dialog's form: why it was refused if it was, Cancel, then the submit button. */
export function FormActions(props: {
  onCancel: () => void;
  submitLabel: string;
  disabled?: boolean;
  danger?: boolean;
  testId?: string;
  failure?: ApiFailure | undefined;
  failureTitle?: string;
}) {
  const { t } = useI18n();
  return (
    <>
      <ErrorNotice
        failure={props.failure}
        {...(props.failureTitle ? { title: props.failureTitle } : {})}
      />
      <div class="dialog-actions">
        <button type="button" onClick={props.onCancel}>
          {t('action.cancel')}
        </button>
        <button
          type="submit"
          class={props.danger ? 'danger' : 'primary'}
          disabled={props.disabled}
          {...(props.testId ? { 'data-testid': props.testId } : {})}
        >
          {props.submitLabel}
        </button>
      </div>
    </>
  );
}

/** One choice of a `RadioGroup`; a `hint` is shown after the label, in smaller type. */
export interface RadioOption<Value extends string> {
  value: Value;
  label: string;
  hint?: string;
  disabled?: boolean;
  testId?: string;
}

/**
 * A set of native radios under a legend: they share a name, so the browser gives them one tab
 * stop and moves the choice with the arrow keys. `children` follow the radios in the fieldset.
 */
export function RadioGroup<Value extends string>(props: {
  legend: string;
  value: Value;
  options: readonly RadioOption<Value>[];
  onChange: (value: Value) => void;
  testId?: string;
  children?: ComponentChildren;
}) {
  const name = useId();
  const withHints = props.options.some((o) => o.hint !== undefined);
  return (
    <fieldset {...(props.testId ? { 'data-testid': props.testId } : {})}>
      <legend>{props.legend}</legend>
      <div class={withHints ? 'content-radios' : 'checks'}>
        {props.options.map((o) => (
          <label key={o.value}>
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={props.value === o.value}
              disabled={o.disabled}
              {...(o.testId ? { 'data-testid': o.testId } : {})}
              onChange={() => {
                props.onChange(o.value);
              }}
            />
            {o.hint === undefined ? (
              o.label
            ) : (
              <span>
                {o.label}
                <small class="hint"> — {o.hint}</small>
              </span>
            )}
          </label>
        ))}
      </div>
      {props.children}
    </fieldset>
  );
}

/** A checkbox inside its label, so a click on the words toggles it too. */
export function Checkbox(props: {
  label: ComponentChildren;
  checked: boolean;
  onChange: (checked: boolean) => void;
  class?: string;
  value?: string;
}) {
  return (
    <label class={props.class}>
      <input
        type="checkbox"
        {...(props.value === undefined ? {} : { value: props.value })}
        checked={props.checked}
        onChange={(e) => {
          props.onChange(e.currentTarget.checked);
        }}
      />
      {props.label}
    </label>
  );
}

/** A choice of board by name; `anyLabel` adds a first option, value '', for "no board in particular". */
export function BoardSelect(props: {
  label: string;
  boards: readonly { id: string; name: string }[];
  value: string;
  onChange: (boardId: string) => void;
  anyLabel?: string;
}) {
  return (
    <Field label={props.label}>
      {(a) => (
        <select
          {...a}
          value={props.value}
          onChange={(e) => {
            props.onChange(e.currentTarget.value);
          }}
        >
          {props.anyLabel === undefined ? null : <option value="">{props.anyLabel}</option>}
          {props.boards.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
