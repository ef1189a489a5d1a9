"use client";
/**
 * What a list row offers for its object, as a detail page does: its YAML (editable for members
 * where the Kubernetes API changes the kind, read-only otherwise) and the kubectl command that
 * describes it, to copy. Buttons name the row they act on (`describedBy`, the row's name cell).
 */
import { useTranslations } from "next-intl";
import { useState } from "react";
import { kubectlDescribe } from "@/components/manifest/manifest-actions";
import { ManifestDialog, type ManifestTarget } from "@/components/manifest/manifest-dialog";
import { Button } from "@/components/ui/button";

export function RowYamlButton({
  target,
  canWrite,
  describedBy,
}: {
  target: ManifestTarget;
  canWrite: boolean;
  describedBy?: string;
}) {
  const t = useTranslations("manifest");
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" aria-describedby={describedBy} onClick={() => setOpen(true)}>
        {canWrite ? t("editYaml") : t("viewYaml")}
      </Button>
      {open ? <ManifestDialog open onClose={() => setOpen(false)} target={target} readOnly={!canWrite} /> : null}
    </>
  );
}

/** A compact copy button for `kubectl describe <kind> <name> [-n <namespace>]`; the command is its tooltip. */
export function RowKubectlCopy({ target }: { target: ManifestTarget }) {
  const t = useTranslations("objectActions");
  const [copied, setCopied] = useState(false);
  const command = kubectlDescribe(target);
  return (
    <Button
      variant="ghost"
      className="font-mono text-xs"
      title={command}
      aria-label={t("copyKubectl", { command })}
      data-kubectl-command={command}
      onClick={async () => {
        await navigator.clipboard.writeText(command);
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? t("copied") : t("kubectl")}
    </Button>
  );
}

/** Both, side by side, for an actions cell. */
export function RowObjectActions(props: { target: ManifestTarget; canWrite: boolean; describedBy?: string }) {
  return (
    <>
      <RowYamlButton {...props} />
      <RowKubectlCopy target={props.target} />
    </>
  );
}
