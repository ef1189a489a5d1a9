"use client";
/**
 * What every detail page offers for its object: "Edit YAML" (read-only "YAML" for viewers) and
 * the kubectl command that shows the same object, to copy.
 */
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { KubectlCommand } from "./kubectl-command";
import { ManifestDialog, type ManifestTarget, type StarterManifest } from "./manifest-dialog";

/** `kubectl describe deployment web -n acme`: the resource's singular name, as kubectl takes it. */
export function kubectlDescribe(target: ManifestTarget): string {
  const ns = target.namespace ? ` -n ${target.namespace}` : "";
  return `kubectl describe ${target.kind.toLowerCase()} ${target.name}${ns}`;
}

export function EditYamlButton({ target, canWrite }: { target: ManifestTarget; canWrite: boolean }) {
  const t = useTranslations("manifest");
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {canWrite ? t("editYaml") : t("viewYaml")}
      </Button>
      <ManifestDialog open={open} onClose={() => setOpen(false)} target={target} readOnly={!canWrite} />
    </>
  );
}

export function CreateFromYamlButton({ starter }: { starter?: StarterManifest }) {
  const t = useTranslations("manifest");
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {t("createFromYaml")}
      </Button>
      <ManifestDialog open={open} onClose={() => setOpen(false)} {...(starter ? { starter } : {})} />
    </>
  );
}

/** The kubectl line under a detail page's header. */
export function KubectlLine({ target }: { target: ManifestTarget }) {
  return (
    <div className="mb-4 max-w-2xl">
      <KubectlCommand command={kubectlDescribe(target)} />
    </div>
  );
}
