import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";

const control =
  "h-9 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm shadow-sm dark:border-zinc-700 dark:bg-zinc-900 aria-[invalid=true]:border-red-500";

interface FieldProps {
  label: string;
  hint?: ReactNode;
  error?: string | null;
}

/** What a control needs to be tied to its label and to its error or hint. */
interface ControlWiring {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string;
}

/** The label, the control (rendered with its wiring) and the message under it. */
function LabelledControl({
  label,
  hint,
  error,
  control,
}: FieldProps & { control: (wiring: ControlWiring) => ReactNode }) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {control({ id, "aria-invalid": error ? true : undefined, "aria-describedby": `${id}-msg` })}
      <FieldMessage id={`${id}-msg`} hint={hint} error={error} />
    </div>
  );
}

/** A labelled input whose error is announced and tied to it (aria-describedby). */
export function TextField({ label, hint, error, ...props }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <LabelledControl
      label={label}
      hint={hint}
      error={error}
      control={(wiring) => <input {...wiring} className={control} {...props} />}
    />
  );
}

export function SelectField({
  label,
  hint,
  error,
  children,
  ...props
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <LabelledControl
      label={label}
      hint={hint}
      error={error}
      control={(wiring) => (
        <select {...wiring} className={control} {...props}>
          {children}
        </select>
      )}
    />
  );
}

/** A labelled multi-line input; `mono` for code (YAML, JSON, commands). */
export function TextAreaField({
  label,
  hint,
  error,
  mono,
  ...props
}: FieldProps & { mono?: boolean } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <LabelledControl
      label={label}
      hint={hint}
      error={error}
      control={(wiring) => (
        <textarea
          {...wiring}
          spellCheck={false}
          className={`w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 ${mono ? "font-mono text-xs" : ""}`}
          {...props}
        />
      )}
    />
  );
}

function FieldMessage({ id, hint, error }: { id: string; hint?: ReactNode; error?: string | null }) {
  if (error) {
    return (
      <p id={id} role="alert" className="text-xs text-red-600 dark:text-red-400">
        {error}
      </p>
    );
  }
  return hint ? (
    <p id={id} className="text-xs text-zinc-500 dark:text-zinc-400">
      {hint}
    </p>
  ) : null;
}
