import { createKubeconfigHandler } from "@/server/kube-api/kubeconfig-handler";
import { getServices } from "@/server/runtime";

export const dynamic = "force-dynamic";

const handler = createKubeconfigHandler({ getServices });

export { handler as POST };
