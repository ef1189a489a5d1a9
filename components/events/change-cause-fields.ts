"use client";
/**
 * The fields a template edit changed (a `TemplateChanged` change cause, server/engine/
 * change-cause.ts), named for the reader: the engine records them as spec field names
 * (`env`, `restartPolicy`); a name the catalog does not know is shown as it is.
 */
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import type { Translate } from "@/i18n/render-message";

/** `t` translates from the catalog's root (a server translator in tests, the console's in the hook). */
export function changeCauseFieldList(t: Translate, fields: readonly string[]): string {
  const label = (f: string) => (t.has(`changeCauses.fields.${f}`) ? t(`changeCauses.fields.${f}`) : f);
  return fields.map(label).join(t("changeCauses.separator"));
}

export function useChangeCauseFields(): (fields: readonly string[]) => string {
  const t = useTranslations() as unknown as Translate;
  return useCallback((fields) => changeCauseFieldList(t, fields), [t]);
}
