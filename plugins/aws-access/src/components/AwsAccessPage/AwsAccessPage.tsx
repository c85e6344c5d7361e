import {
  Content,
  EmptyState,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { Grant } from '@aws-access/plugin-aws-access-common';
import { useMyAccess } from '../../hooks/useMyAccess';

const columns: TableColumn<Grant>[] = [
  { title: 'Account', field: 'accountName' },
  { title: 'Account id', field: 'accountId' },
  { title: 'Permission set', field: 'permissionSet.name' },
  { title: 'Session', field: 'permissionSet.sessionDuration' },
  { title: 'State', field: 'state' },
  {
    title: 'Launch',
    render: grant => (grant.launchUrl ? <Link to={grant.launchUrl}>Open console</Link> : null),
  },
];

/** The signed-in engineer's AWS access. */
export const AwsAccessPage = () => {
  const { access, loading, error } = useMyAccess();

  return (
    <Page themeId="tool">
      <Header title="My AWS access" subtitle="Every AWS account you can reach, and why" />
      <Content>
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {access && access.grants.length === 0 && (
          <EmptyState
            missing="data"
            title="You have no AWS access"
            description="Ask your team lead to add you to one of the AWS groups in Entra ID."
          />
        )}
        {access && access.grants.length > 0 && (
          <Table<Grant>
            title="Your grants"
            options={{ paging: false, search: false }}
            columns={columns}
            data={access.grants}
          />
        )}
      </Content>
    </Page>
  );
};
