"use client";
import { ErrorBoundaryView } from "@/components/console/error-boundary-view";

/** A console page failed to render: the navigation stays (the layout is above this boundary). */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorBoundaryView error={error} reset={reset} backHref="/overview" backLabelKey="backToConsole" />;
}
