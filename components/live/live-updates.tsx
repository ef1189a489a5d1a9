"use client";
/**
 * The console's live layer, mounted once by the shell: the engine clock every page reads
 * (useEngineTime), the one subscription that keeps every page's queries fresh, and its state for
 * the header's indicator. The subscription sits in a keyed child, so switching tenants opens a
 * new stream without remounting the page under it.
 */
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { createEngineTimeStore, EngineTimeProvider, type EngineTimeStore } from "./engine-time";
import { type LiveScope, type LiveState, useLiveUpdates } from "./use-live-updates";

const LiveStateContext = createContext<LiveState>("off");

/** Whether the page is following changes: for the header's indicator. */
export function useLiveState(): LiveState {
  return useContext(LiveStateContext);
}

export function LiveUpdates({
  scope,
  enabled,
  streamKey,
  children,
}: {
  scope: LiveScope;
  enabled: boolean;
  /** A new value opens a new stream (the current tenant). */
  streamKey: string;
  children: ReactNode;
}) {
  const [time] = useState(createEngineTimeStore);
  const [state, setState] = useState<LiveState>("off");
  return (
    <EngineTimeProvider store={time}>
      <LiveStateContext.Provider value={state}>
        <LiveStream key={streamKey} scope={scope} enabled={enabled} time={time} onState={setState} />
        {children}
      </LiveStateContext.Provider>
    </EngineTimeProvider>
  );
}

function LiveStream({
  scope,
  enabled,
  time,
  onState,
}: {
  scope: LiveScope;
  enabled: boolean;
  time: EngineTimeStore;
  onState: (state: LiveState) => void;
}) {
  const state = useLiveUpdates({ scope, enabled, time });
  useEffect(() => onState(state), [state, onState]);
  return null;
}
