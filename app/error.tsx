"use client";
import { ErrorBoundaryView } from "@/components/console/error-boundary-view";

/** A page outside the console and the admin dashboard failed to render (sign-in, sign-up). */
export default function RootError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="min-h-screen">
      <ErrorBoundaryView error={error} reset={reset} backHref="/" backLabelKey="backHome" />
    </main>
  );
}
