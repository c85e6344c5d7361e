import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApprovalQueueCard } from './ApprovalQueueCard';
import {
  errors,
  fakeAwsAccessApi,
  renderWithApi,
} from '../../__testUtils__/render';
import { activeGrant, localIso } from '../../__testUtils__/fixtures';
import { accessRequest, activeRequest } from '../../__testUtils__/requests';

const waiting = accessRequest({
  actions: { approve: true, deny: true } as never,
});
const decided = activeRequest({
  id: 'req-0',
  createdAt: localIso(9, 0),
  requester: 'user:default/shen.li_example.com',
  requesterName: 'Shen Li',
});

function rows() {
  return screen.getAllByTestId('request-row');
}

describe('ApprovalQueueCard', () => {
  it('lists what waits for a decision first, with who asked and what it grants', async () => {
    const api = fakeAwsAccessApi({
      listRequests: async () => ({ items: [decided, waiting] }),
    });
    renderWithApi(<ApprovalQueueCard />, { api });
    await screen.findAllByTestId('request-row');
    expect(api.listRequests).toHaveBeenCalledWith({
      role: 'approver',
      state: undefined,
    });
    expect(rows().map(row => row.dataset.requestId)).toEqual([
      'req-1',
      'req-0',
    ]);
    expect(rows()[0]).toHaveTextContent('Aamir Siddiqui');
    expect(rows()[0]).toHaveTextContent('DeveloperAdmin on payments-prod');
    expect(
      within(rows()[1]).queryByRole('button', { name: /Approve/ }),
    ).toBeNull();
  });

  it("shows the request's context with the requester's current access, as the backend gives it to approvers", async () => {
    const api = fakeAwsAccessApi({
      listRequests: async () => ({ items: [waiting] }),
      getRequest: async () => ({
        ...waiting,
        history: [],
        requesterGrants: [activeGrant],
      }),
    });
    renderWithApi(<ApprovalQueueCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Details' }),
    );
    const details = await screen.findByTestId('request-details');
    expect(details).toHaveTextContent(
      'Fix the failing settlement job (INC-4711)',
    );
    expect(details).toHaveTextContent('INC-4711');
    expect(details).toHaveTextContent('1 hour');
    const current = await screen.findByTestId('requester-access');
    expect(
      await within(current).findByText('DeveloperReadOnly'),
    ).toBeInTheDocument();
    // No second read of the person with the approver's own permissions.
    expect(api.getUserAccess).not.toHaveBeenCalled();
  });

  it("says so when the backend does not give the requester's access", async () => {
    const api = fakeAwsAccessApi({
      listRequests: async () => ({ items: [waiting] }),
      getRequest: async () => ({ ...waiting, history: [] }),
    });
    renderWithApi(<ApprovalQueueCard openRequestId="req-1" />, { api });
    const current = await screen.findByTestId('requester-access');
    expect(
      await within(current).findByTestId('requester-access-hidden'),
    ).toHaveTextContent(
      "Only the request's approvers and the platform team see Aamir Siddiqui's current access.",
    );
  });

  it('approves and denies with a note', async () => {
    const api = fakeAwsAccessApi({
      listRequests: async () => ({ items: [waiting] }),
      actOnRequest: async () => waiting,
    });
    renderWithApi(<ApprovalQueueCard />, { api });

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Approve: AWS-Payments-Prod-Admin',
      }),
    );
    const approve = await screen.findByRole('dialog', {
      name: 'Approve Aamir Siddiqui: AWS-Payments-Prod-Admin',
    });
    await userEvent.type(
      within(approve).getByRole('textbox', { name: 'Note (optional)' }),
      'ok for INC-4711',
    );
    await userEvent.click(
      within(approve).getByRole('button', { name: 'Approve' }),
    );
    expect(api.actOnRequest).toHaveBeenCalledWith({
      id: 'req-1',
      action: 'approve',
      note: 'ok for INC-4711',
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await userEvent.click(
      screen.getByRole('button', { name: 'Deny: AWS-Payments-Prod-Admin' }),
    );
    const deny = await screen.findByRole('dialog', {
      name: 'Deny Aamir Siddiqui: AWS-Payments-Prod-Admin',
    });
    await userEvent.click(within(deny).getByRole('button', { name: 'Deny' }));
    expect(api.actOnRequest).toHaveBeenLastCalledWith({
      id: 'req-1',
      action: 'deny',
      note: undefined,
    });
    await waitFor(() => expect(api.listRequests).toHaveBeenCalledTimes(3));
  });

  it("shows the backend's refusal of a second approval", async () => {
    const api = fakeAwsAccessApi({
      listRequests: async () => ({ items: [waiting] }),
      actOnRequest: async () => {
        throw errors.conflict('Request req-1 is approved, not submitted');
      },
    });
    renderWithApi(<ApprovalQueueCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Approve: AWS-Payments-Prod-Admin',
      }),
    );
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Approve',
      }),
    );
    expect(await screen.findByTestId('request-action-error')).toHaveTextContent(
      'Request req-1 is approved, not submitted',
    );
  });

  it('says when nothing waits', async () => {
    const api = fakeAwsAccessApi({
      listRequests: async () => ({ items: [] }),
    });
    renderWithApi(<ApprovalQueueCard />, { api });
    expect(await screen.findByTestId('no-approvals')).toHaveTextContent(
      'Nothing is waiting for your decision.',
    );
  });
});
