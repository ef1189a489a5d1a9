import { CreateTenantForm } from "@/components/tenants/create-tenant-form";

export default function NewTenantPage() {
  return <CreateTenantForm />;
}
