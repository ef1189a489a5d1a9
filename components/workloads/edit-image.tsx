"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Card } from "@/components/ui/panel";
import type { DeploymentViewOut } from "@/server/workloads/view-schemas";
import { IMAGE_RE } from "./spec";

export function EditImage({
  name,
  namespace,
  template,
  onDone,
}: {
  name: string;
  namespace?: string;
  template: DeploymentViewOut["spec"]["template"];
  onDone: () => void;
}) {
  const t = useTranslations("workloads.detail");
  const te = useTranslations("workloads.wizard.errors");
  const trpc = useTRPC();
  const current = template.spec.containers[0]?.image ?? "";
  const [image, setImage] = useState(current);
  const [dirty, setDirty] = useState(false);
  const lastCurrent = useRef(current);
  useEffect(() => {
    // Follow the deployment's image (e.g. after a rollback) unless the person is typing.
    if (lastCurrent.current !== current) {
      lastCurrent.current = current;
      if (!dirty) setImage(current);
    }
  }, [current, dirty]);
  const update = useMutation(
    trpc.deployments.update.mutationOptions({
      onSuccess: () => setDirty(false),
      onSettled: onDone,
    }),
  );
  const invalid = !image ? te("imageRequired") : !IMAGE_RE.test(image) ? te("imageInvalid", { image }) : null;
  return (
    <Card title={t("editImage")}>
      <form
        className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-start"
        onSubmit={(e) => {
          e.preventDefault();
          if (invalid || image === current) return;
          const [first, ...rest] = template.spec.containers;
          if (!first) return;
          update.mutate({
            name,
            namespace,
            // The view carries the template as the engine keeps it (probes, volumes, env sources and
            // all), so only the image changes; the server validates the whole template again.
            template: {
              ...template,
              spec: { ...template.spec, containers: [{ ...first, image }, ...rest] },
            },
          });
        }}
      >
        <TextField
          label={t("imageOf", { container: template.spec.containers[0]?.name ?? "" })}
          value={image}
          onChange={(e) => {
            setImage(e.target.value.trim());
            setDirty(true);
            update.reset();
          }}
          error={dirty ? (invalid ?? update.error?.message ?? null) : (update.error?.message ?? null)}
          hint={t("editImageHint")}
        />
        <Button type="submit" className="sm:mt-6" disabled={update.isPending || !!invalid || image === current}>
          {update.isPending ? t("updating") : t("updateImage")}
        </Button>
      </form>
    </Card>
  );
}
