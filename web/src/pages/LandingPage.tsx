import { BusinessAddressForm } from "../components/BusinessAddressForm";
import { CardLayout } from "../components/Layouts";
import { PageHeading } from "../components/PageHeading";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { paths } from "../paths";

export function LandingPage() {
  useDocumentTitle("Sign in to your business");
  return (
    <CardLayout eyebrow="Staffgate">
      <PageHeading>Office Portal staff sign-in</PageHeading>
      <p>Staffgate is where staff of gyms, swim schools and other businesses sign in to their Office Portal.</p>
      <p>
        Every business has its own sign-in page at <code>/a/&lt;business&gt;/login</code>, for example{" "}
        <code>/a/sunny-swim/login</code>. If you don't know your business's address, ask the person who manages your
        Office Portal.
      </p>
      <BusinessAddressForm
        help="The short name in your portal's web address, for example sunny-swim."
        submitLabel="Go to sign-in"
        destination={paths.login}
      />
    </CardLayout>
  );
}
