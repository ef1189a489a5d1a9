"use client";
import { ErrorBoundaryView } from "@/components/console/error-boundary-view";

/** An admin page failed to render: the dashboard's navigation stays (the layout is above this boundary). */
export default function AdminError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorBoundaryView error={error} reset={reset} backHref="/admin" backLabelKey="backToAdmin" />;
}
