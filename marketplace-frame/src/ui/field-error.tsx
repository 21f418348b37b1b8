/** A field's error line, `<id>-error` (the control's `aria-describedby` names it). */
export const FieldError = ({ id, error }: { id: string; error: string | undefined }) =>
  error ? (
    <p class="em-field-error" id={`${id}-error`}>
      {error}
    </p>
  ) : null;
