import { CardLayout } from "../components/Layouts";
import { ErrorMessage } from "../components/Messages";
import { PageHeading } from "../components/PageHeading";
import { describeError } from "../errors";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { Link } from "../router";

export function AccountNotFoundPage() {
  useDocumentTitle("No business at this address");
  return (
    <CardLayout>
      <PageHeading>No business at this address</PageHeading>
      <p>We couldn't find a business at this web address. Check the address you were given, or look it up again.</p>
      <p>
        <Link to="/">Find your business's sign-in page</Link>
      </p>
    </CardLayout>
  );
}

export function NotFoundPage() {
  useDocumentTitle("Page not found");
  return (
    <CardLayout>
      <PageHeading>Page not found</PageHeading>
      <p>There is nothing at this address.</p>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </CardLayout>
  );
}

export function LoadFailedPage({ error, retry }: { error: unknown; retry: () => void }) {
  useDocumentTitle("Something went wrong");
  return (
    <CardLayout>
      <PageHeading>This page couldn't be loaded</PageHeading>
      <ErrorMessage>{describeError(error)}</ErrorMessage>
      <button type="button" className="button button-primary" onClick={retry}>
        Try again
      </button>
    </CardLayout>
  );
}
