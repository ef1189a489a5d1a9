"use client";
/**
 * Engine texts (event messages, condition and container-state messages) in the reader's
 * language. The engine records them in English with a Kubernetes reason code, as Kubernetes
 * does; the reason stays as it is (it is a code people search for), the message is read back
 * into data by the engine's template table and rendered from the catalog. A text the table
 * does not know (an event posted through the API, say) is shown as it is.
 */
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { parseEngineMessage } from "@/i18n/engine-messages";
import { renderMessage, type Translate } from "@/i18n/render-message";

/** `(text) => text in the reader's language`, for places that build strings (titles, joined details). */
export function useEngineMessage(): (text: string | null | undefined) => string {
  const t = useTranslations() as unknown as Translate;
  return useCallback(
    (text) => {
      if (!text) return "";
      const ref = parseEngineMessage(text);
      return (ref && renderMessage(t, ref)) ?? text;
    },
    [t],
  );
}

/** An engine message as text in the reader's language: `<EngineMessage text={event.message} />`. */
export function EngineMessage({ text }: { text: string | null | undefined }) {
  return <>{useEngineMessage()(text)}</>;
}
