import { createTranslationRef } from '@backstage/core-plugin-api/alpha';
import { reviewMessages } from './translationReviews';

/**
 * Every text the AWS access plugin shows. Names (groups, accounts, people) are interpolated as plain strings and
 * rendered by React as text, never as HTML.
 *
 * @alpha
 */
export const awsAccessTranslationRef = createTranslationRef({
  id: 'aws-access',
  messages: {
    common: {
      retry: 'Retry',
      retryIn: 'Retry (the backend suggests waiting {{seconds}} s)',
      never: 'never',
      unknown: 'unknown',
      via: 'via {{paths}}',
      directAssignment: 'direct assignment',
      nestedPath: '{{nested}} → {{through}}',
      pathWithState: '{{name}} ({{state}})',
    },
    states: {
      active: 'Active',
      pending: 'Pending',
      stuck: 'Stuck',
      revoking: 'Being removed',
      unsupportedNesting: 'Never provisioned',
    },
    pathStates: {
      active: 'active',
      pending: 'pending',
      stuck: 'stuck',
      revoking: 'being removed',
      unsupportedNesting: 'never provisioned',
    },
    duration: {
      seconds_one: '{{count}} second',
      seconds_other: '{{count}} seconds',
      minutes_one: '{{count}} minute',
      minutes_other: '{{count}} minutes',
      hours_one: '{{count}} hour',
      hours_other: '{{count}} hours',
      days_one: '{{count}} day',
      days_other: '{{count}} days',
    },
    sentences: {
      pendingSelf:
        'You were added to {{groups}}; AWS has not received it yet. Expected by ≈ {{time}}.',
      pendingSelfNoTime:
        'You were added to {{groups}}; AWS has not received it yet. Expected with the next provisioning cycle.',
      pendingOther:
        '{{name}} was added to {{groups}}; AWS has not received it yet. Expected by ≈ {{time}}.',
      pendingOtherNoTime:
        '{{name}} was added to {{groups}}; AWS has not received it yet. Expected with the next provisioning cycle.',
      stuckSelf:
        'You were added to {{groups}}, but AWS has still not received it after two provisioning cycles. Contact the platform team and mention this account and permission set.',
      stuckOther:
        '{{name}} was added to {{groups}}, but AWS has still not received it after two provisioning cycles. The platform team should check the Entra provisioning logs.',
      stuckQuarantined:
        'The Entra provisioning job is quarantined ({{reason}}), so nothing reaches AWS until it is fixed. Contact the platform team.',
      revokingSelf:
        'Entra removed this; AWS still allows it until the next provisioning cycle (≈ {{time}}).',
      revokingSelfNoTime:
        'Entra removed this; AWS still allows it until the next provisioning cycle.',
      revokingOther:
        'Removed in Entra; {{name}} can still use it in AWS until the next provisioning cycle (≈ {{time}}).',
      revokingOtherNoTime:
        'Removed in Entra; {{name}} can still use it in AWS until the next provisioning cycle.',
      nestedSelf:
        'Your nested membership through {{nested}} will never reach AWS: ask to be added to {{target}} directly.',
      nestedOther:
        "{{name}}'s nested membership through {{nested}} will never reach AWS: add them to {{target}} directly.",
    },
    grants: {
      title: 'Your AWS access',
      titleOther: 'AWS access',
      account: 'Account',
      accountId: 'Account id',
      ou: 'OU',
      permissionSet: 'Permission set',
      session: 'Session',
      via: 'Via',
      state: 'State',
      launch: 'Open',
      launchAria:
        'Open {{account}} as {{permissionSet}} in the AWS access portal',
      noLaunch: 'No console access yet',
    },
    myAccess: {
      title: 'My AWS access',
      subtitle:
        'Every AWS account you can reach, why, and whether provisioning has caught up',
      emptyTitle: 'You have no AWS access',
      emptyDescription:
        'You have no AWS access. Ask your team lead to add you to one of the AWS groups in Entra ID (e.g. AWS-Developers-ReadOnly).',
      myAppsLink: 'Open the AWS tile in Entra My Apps',
      accessPortalLink: 'Open the AWS access portal',
      cliConfigTitle: '~/.aws/config',
      cliConfigHint:
        'Paste this into ~/.aws/config, then run "aws sso login" and use --profile with one of the names below.',
      cliConfigDownloadHint:
        'A profile for every account and permission set you can use now. Save it as ~/.aws/config (or merge it in), then run "aws sso login" and use --profile with one of its names.',
      cliConfigDownload: 'Download ~/.aws/config',
      requestProvisioning: 'Request provisioning now',
      requestProvisioningHint:
        'Asks Entra to provision you to AWS now instead of waiting for the next cycle.',
      timelineTitle: 'What happened',
      noMatch: 'None of your grants matches these filters.',
    },
    provision: {
      success: 'Entra provisioned {{name}} to AWS now. {{message}}',
      skipped: 'Entra skipped provisioning {{name}}: {{message}}',
      failure: 'Provisioning {{name}} failed: {{message}}',
      deprovisionSuccess: 'Entra removed {{name}} from AWS now. {{message}}',
      deprovisionSkipped: 'Entra skipped deprovisioning {{name}}: {{message}}',
      deprovisionFailure: 'Deprovisioning {{name}} failed: {{message}}',
    },
    sync: {
      lastSync: 'Last sync {{time}} ({{age}} ago).',
      noSync: 'No sync has finished yet.',
      provisioning: 'Entra provisioning job: {{status}}.',
      lastCycle: 'Last cycle {{time}}.',
      nextCycle: 'Next cycle ≈ {{time}}.',
      stale: 'AWS access data is {{age}} old; the last sync failed: {{error}}',
      staleNoError:
        'AWS access data is {{age}} old; the last sync did not succeed.',
      staleAwsSide:
        'AWS (IAM Identity Center) was last read in full {{age}} ago; only Entra has been read since ({{otherAge}} ago).',
      staleIdentitySide:
        'Entra was last read {{age}} ago; only AWS has been read since ({{otherAge}} ago).',
      quarantined:
        'The Entra provisioning job is quarantined: {{reason}}. New access will not reach AWS until the platform team fixes it.',
      provisioningError: 'The provisioning job reported an error: {{error}}',
      entraRefreshFailed:
        'The last Entra refresh failed ({{time}}): {{error}}. Nothing changed; the next refresh reads again.',
      identityCenterOnly:
        'Read from IAM Identity Center alone (no identity source is configured): every grant shown is what AWS allows now. We cannot know what is about to be granted or removed, so there are no pending or being-removed states and no provisioning status.',
    },
    timeline: {
      empty: 'Nothing has happened yet that we know of.',
      offset: 'T+{{offset}}',
      source: {
        entra: 'Entra',
        scim: 'SCIM',
        sync: 'AWS',
      },
      delay: '{{change}}: reached AWS after {{duration}}',
    },
    errors: {
      notSyncedTitle: 'AWS access has not been synced yet',
      notSyncedDescription:
        'AWS access has not been synced yet. The first sync runs a minute after the backend starts.',
      notMatchedTitle:
        'We could not match your Backstage user to an Entra user',
      notMatchedHint:
        'Ask the platform team to check that your user entity carries the graph.microsoft.com/user-id or microsoft.com/email annotation of your Entra account.',
      notFoundTitle: 'Not found',
      forbiddenTitle: 'Not allowed',
      forbidden:
        "You can see your own access and your teams'. Ask the platform team for access to others'.",
      platformForbidden:
        'The AWS platform board is for the platform team (permission aws-access.all.read). You can still see your own access under My AWS access.',
    },
    userCard: {
      title: 'AWS access',
      empty: '{{name}} has no AWS access.',
      emptySelf:
        'You have no AWS access. Ask your team lead to add you to one of the AWS groups in Entra ID (e.g. AWS-Developers-ReadOnly).',
    },
    teamCard: {
      title: 'Team AWS access',
      subheader: 'Members × accounts, coloured by the strongest permission set',
      exportCsv: 'Export CSV',
      empty: 'No member of {{name}} has AWS access.',
      member: 'Member',
      cellAria: '{{member}} on {{account}}: {{permissionSet}} ({{state}})',
      cellEmptyAria: '{{member}} has no access to {{account}}',
      legendTitle: 'Legend',
      legendAdmin: 'Admin',
      legendPowerUser: 'PowerUser',
      legendReadOnly: 'ReadOnly',
      legendOther: 'Other',
      legendPending: 'Pending or stuck (outlined)',
      legendRevoking: 'Being removed (hatched)',
      legendNested: 'Never provisioned (dotted)',
      groupAssignments: 'What membership of {{name}} gives',
      showing: 'Showing {{shown}} of {{total}} members',
      loadMore: 'Load more members',
      noMatch: 'No member matches these filters.',
    },
    filters: {
      search: 'Search',
      searchHint: 'Account, OU or permission set',
      member: 'Member',
      account: 'Account (name or id)',
      ou: 'OU',
      permissionSet: 'Permission set',
      state: 'State',
      any: 'Any',
    },
    accountCard: {
      title: 'Who can reach this account',
      missingAnnotation: 'amazonaws.com/account-id',
      status: 'Status',
      assignments: 'Assignments',
      principal: 'Principal',
      type: 'Type',
      managed: 'From Entra',
      unmanaged: 'Unmanaged (no Entra source)',
      people: 'People',
      noAssignments:
        'Nothing is assigned on this account: nobody can sign in to it through Identity Center.',
      noPeople: 'Nobody you may see can reach this account.',
      hiddenAssignments_one: '{{count}} more assignment',
      hiddenAssignments_other: '{{count}} more assignments',
      hiddenPrincipals_one: '{{count}} principal',
      hiddenPrincipals_other: '{{count}} principals',
      hiddenPeople_one: '{{count}} more person with access',
      hiddenPeople_other: '{{count}} more people with access',
      principalsHidden:
        "{{what}} (hidden). You see your own rows: only the account's owners and readers of all AWS access see who holds what.",
    },
    permissionSetCard: {
      title: 'Permission set',
      description: 'Description',
      session: 'Session duration',
      relayState: 'Relay state',
      managedPolicies: 'AWS managed policies',
      customerPolicies: 'Customer managed policies',
      inlinePolicy: 'Inline policy',
      boundary: 'Permissions boundary',
      assignedOn: 'Where it is assigned',
      notAssigned: 'This permission set is not assigned anywhere.',
      notAssignedToYou:
        'None of its assignments that you may see: it is not assigned to you or on an account you own.',
      principalsHidden:
        '{{assignments}}, {{principals}} (hidden). You see the rows on accounts you own and your own: only readers of all AWS access see who holds what everywhere.',
      provisioningFailures: 'Provisioning failed on',
      none: 'None',
    },
    requestStates: {
      submitted: 'Waiting for approval',
      approved: 'Approved',
      denied: 'Denied',
      cancelled: 'Cancelled',
      expired: 'Expired unanswered',
      granting: 'Granting',
      active: 'Active',
      revoking: 'Being revoked',
      ended: 'Ended',
      failed: 'Failed',
    },
    requests: {
      requestAccess: 'Request access',
      requestHere: 'Request access to {{account}}',
      grantOn: '{{permissionSet}} on {{account}}',
      grantDetail: '{{accountId}}, {{session}} sessions',
      dialog: {
        title: 'Request AWS access',
        titleAccount: 'Request access to {{account}}',
        search: 'What do you need?',
        searchHelp:
          'Search by permission set, account or group, e.g. "PowerUser payments-prod"',
        noOptions: 'Nothing you may request matches.',
        alreadyMember: 'you are already a member',
        alreadyRequested: 'you have an open request',
        duration: 'Duration',
        durationCeiling: 'At most {{duration}} (the policy for this group).',
        durationNoCeiling: 'This group allows standing access.',
        standing: 'No expiry (standing access)',
        justification: 'Justification',
        justificationRequired: 'Required: why do you need this access?',
        justificationOptional: 'Optional',
        justificationMissing: 'A justification is required for this group.',
        ticket: 'Ticket',
        ticketPattern: 'Must match {{pattern}}',
        ticketOptional: 'Optional: an incident or change reference',
        ticketMismatch: 'The ticket must match {{pattern}}.',
        approvals_one: 'Needs the approval of {{count}} approver.',
        approvals_other: 'Needs the approval of {{count}} different approvers.',
        autoApprove:
          'Approved automatically (still audited and still expiring).',
        submit: 'Submit request',
        cancel: 'Cancel',
        close: 'Close',
        submitted:
          'Requested {{group}}. Your approvers have been notified; follow it under My requests.',
        submittedAuto:
          'Requested {{group}}: approved automatically. AWS usually shows it within minutes; follow it under My requests.',
      },
      mine: {
        title: 'My requests',
        empty: 'You have not requested any AWS access yet.',
      },
      queue: {
        title: 'To approve',
        empty: 'Nothing is waiting for your decision.',
      },
      all: {
        title: 'All access requests',
        empty: 'No requests in this state.',
        state: 'State',
        anyState: 'Any state',
        from: 'From',
        to: 'To',
        exportCsv: 'Export CSV',
        exportJson: 'Export JSON',
      },
      columns: {
        what: 'What',
        requester: 'Requester',
        state: 'State',
        created: 'Requested',
        expiry: 'Expiry',
        actions: 'Actions',
      },
      expiresIn: 'expires in {{duration}}',
      expiresAt: 'until {{time}}',
      endedAt: 'ended {{time}}',
      standing: 'no expiry',
      forDuration: 'for {{duration}}',
      approvalsProgress: '{{given}} of {{required}} approvals',
      failedBecause: 'Failed: {{error}}',
      inFlight:
        'Backstage is carrying this forward and checks what AWS shows; this updates by itself.',
      actions: {
        approve: 'Approve',
        deny: 'Deny',
        cancel: 'Cancel request',
        revoke: 'Revoke now',
        retry: 'Retry',
        details: 'Details',
        hideDetails: 'Hide details',
        actionAria: '{{action}}: {{group}}',
      },
      decision: {
        approveTitle: 'Approve {{requester}}: {{group}}',
        denyTitle: 'Deny {{requester}}: {{group}}',
        note: 'Note (optional)',
        confirm: 'Confirm',
      },
      details: {
        requester: 'Requester',
        grants: 'What it grants',
        justification: 'Justification',
        ticket: 'Ticket',
        duration: 'Duration',
        approvals: 'Approvals',
        noApprovals: 'None yet',
        history: 'History',
        historyEntry: '{{time}} · {{by}}: {{to}}',
        currentAccess: "{{name}}'s current AWS access",
        currentAccessNone: '{{name}} has no AWS access now.',
        currentAccessHidden:
          "Only the request's approvers and the platform team see {{name}}'s current access.",
        system: 'Backstage',
      },
      page: {
        title: 'AWS access requests',
        subtitle:
          'Ask for AWS access, follow it until AWS grants it, and decide what others ask for',
      },
      lint: {
        title: 'Access request policy lint',
        empty: 'The access request policies have no findings.',
      },
      grantSentence: {
        waiting: 'Requested through {{group}}, waiting for approval.',
        approved:
          'Approved by {{names}} {{approvedAt}}, AWS expected by ≈ {{time}}.',
        approvedNoTime:
          'Approved by {{names}} {{approvedAt}}; AWS has not shown it yet.',
        expires: 'Requested access: it ends at {{time}}.',
      },
      notConfigured: 'Access requests are not configured on this Backstage.',
    },
    platform: {
      title: 'AWS platform',
      subtitle:
        'Sync and SCIM health, account onboarding, drift between Entra and AWS, and diagnosis',
      healthTitle: 'Sync and SCIM health',
      lastRun: 'Last run',
      lastSuccess: 'Last successful sync',
      snapshotAge: 'Data age',
      provisioningJob: 'Entra provisioning job',
      entraRefresh: 'Entra last read',
      entraRefreshValue: '{{time}} (every {{every}}); last change {{changed}}',
      entraRefreshNever: 'not yet (every {{every}})',
      identitySource: 'Identity source',
      identitySourceNone: 'None: IAM Identity Center is read alone',
      driftNeedsIdentitySource:
        'Drift compares what an identity source (Entra ID) intends with what AWS allows. This backend reads IAM Identity Center alone (no awsAccess.entra), so there is nothing pending, stuck or being removed to show, and no "Deprovision now".',
      nextCycle: 'Next provisioning cycle',
      samlCertificate: 'SAML certificate expires',
      samlExpiringSoon:
        'The SAML signing certificate expires in {{duration}}: renew it in Entra and upload the new metadata to IAM Identity Center.',
      samlExpired:
        'The SAML signing certificate has expired: nobody can sign in to AWS.',
      syncNow: 'Sync now',
      syncAccepted:
        'Sync requested: it starts within seconds. Reload the status to follow it.',
      reloadStatus: 'Reload',
      runsTitle: 'Recent sync runs',
      runsEmpty: 'No sync runs yet.',
      runBar: '{{time}}: {{outcome}} in {{duration}}',
      runBarRunning: '{{time}}: running',
      changeEvents: {
        title: 'Change events',
        lastBatch:
          '{{time}}: {{messages}} messages, {{targets}} parts of AWS read again in {{duration}}',
        noBatch: 'No change event handled yet',
        handled: '{{n}} messages handled',
        lastPoll: 'Queue last polled {{time}}',
        lastError:
          'The last refresh failed ({{time}}): {{error}}. Its messages come back and are handled again.',
        unreadable:
          '{{n}} change event messages could not be read; the queue moves each to its dead-letter queue after its maxReceiveCount. Newest: {{messageId}} ({{reason}}, received {{receives}} times).',
        deadLetters:
          '{{n}} messages wait in the dead-letter queue: read them in SQS, fix what produced them, and redrive or delete them.',
        reconcileClean:
          'Last full reconciliation ({{time}}) found nothing the events had missed.',
        reconcileMissed:
          'The last full reconciliation ({{time}}) found {{n}} changes the events had missed (now repaired):',
      },
      progressTitle: 'Sync running: {{phase}}',
      progressPhase: {
        starting: 'loading the previous snapshot',
        reading: 'reading the sources',
        validating: 'validating what was read',
        deriving: 'deriving access',
        committing: 'committing the snapshot',
      },
      progressRequests: '{{done}} of about {{expected}} requests',
      progressRequestsFirst:
        '{{done}} requests so far (first run: nothing to compare with, no estimate)',
      progressEta: 'reading done in about {{duration}}',
      progressEtaUnknown: 'no estimate yet',
      outcome: {
        running: 'running',
        succeeded: 'succeeded',
        failed: 'failed',
        held: 'held back',
        unchanged: 'unchanged',
      },
      heldTitle: 'Snapshot held back',
      heldDescription:
        'The mass-delete brake held back the snapshot read at {{time}}. AWS access shown everywhere is still the previous snapshot.',
      heldCounts: '{{what}}: {{previous}} → {{next}}',
      approve: 'Approve held snapshot',
      approved: 'Held snapshot approved (run {{id}}).',
      driftTitle: 'Drift between Entra and AWS',
      stuck: 'Pending too long',
      pending: 'Pending',
      revoking: 'Being removed (still active in AWS)',
      nested: 'Nested memberships (never provisioned)',
      unmanaged: 'Unmanaged Identity Center principals',
      deprovision: 'Deprovision now',
      deprovisionAria: 'Deprovision {{name}} now',
      person: 'Person',
      account: 'Account',
      permissionSet: 'Permission set',
      via: 'Via',
      since: 'Since',
      listEmpty: 'Nothing here.',
      accountsWithoutAssignments: 'Accounts without any assignment',
      lintTitle: 'Lint: permission sets and identities',
      diagnoseTitle: 'Diagnose access',
      diagnoseHint:
        "Why can (or can't) someone reach an account? Walks the troubleshooting steps against live data.",
      diagnoseUser: 'User',
      diagnoseUserHelp: 'Entity ref, e.g. user:default/aamir_example.com',
      diagnoseAccount: 'AWS account id',
      diagnoseAccountHelp: '12 digits',
      diagnoseAccountInvalid: 'An AWS account id has 12 digits',
      diagnose: 'Diagnose',
      hasAccess: '{{user}} can sign in to {{account}} now.',
      noAccess: '{{user}} cannot sign in to {{account}}.',
      fix: 'Fix: {{fix}}',
    },
    onboarding: {
      title: 'Account onboarding',
      subheader:
        'Accounts against the baseline of group → permission set assignments; review the exact calls, then apply',
      pair: '{{group}} → {{permissionSet}}',
      anyGroup: 'any group',
      userPrincipal: 'user {{name}}',
      rules: {
        title: 'Baseline',
        empty:
          'No baseline is configured (awsAccess.baseline.rules): no account is checked.',
        accounts: 'Accounts: {{selector}}',
        selectorSeparator: ' and ',
        ouPath: 'OU {{value}}',
        name: 'name {{value}}',
        tag: 'tag {{key}}={{value}}',
        requires: 'Requires: {{pairs}}',
        forbids: 'Forbids: {{pairs}}',
      },
      problemsTitle: 'The baseline configuration has problems',
      problemsHint:
        'Rules that name unknown groups or permission sets cannot be planned. Fix awsAccess.baseline in app-config.',
      notConfigured:
        'Applying plans is not configured on this Backstage (write credentials, awsAccess.write): plans can be reviewed but not applied.',
      onlyNonCompliant: 'Only non-compliant ({{total}})',
      noAccounts: 'No AWS accounts have been synced yet.',
      allCompliant: 'Every account complies with the baseline.',
      forbiddenHint:
        'Account onboarding is for the platform team (permission aws-access.all.read).',
      columns: {
        account: 'Account',
        compliance: 'Compliance',
        missing: 'Missing',
        forbidden: 'Forbidden',
        rules: 'Rules',
        actions: 'Actions',
      },
      compliant: 'Compliant',
      nonCompliant: 'Not compliant',
      isNew: 'New',
      unassigned: 'No assignments',
      none: 'None',
      noRule: 'No rule applies',
      reviewPlan: 'Review plan',
      reviewPlanAria: 'Review the onboarding plan for {{account}}',
      plan: {
        title: 'Onboarding plan for {{account}} ({{id}})',
        intro:
          'The exact calls to IAM Identity Center, planned from snapshot {{version}}. Nothing is written until you apply.',
        current: 'Missing: {{missing}}. Forbidden: {{forbidden}}.',
        removeForbidden: 'Also remove forbidden assignments',
        removeForbiddenHint:
          'Plans DeleteAccountAssignment calls for the assignments the baseline forbids.',
        callsTitle: 'Planned calls',
        operation: 'Operation',
        description: 'Assignment',
        target: 'Target',
        permissionSetArn: 'Permission set ARN',
        principal: 'Principal',
        empty: 'Nothing to do: {{account}} already has its baseline.',
        blockedTitle: 'Cannot be planned',
        blocked: '{{pair}}: {{reason}}',
        confirmRemoval_one: 'I confirm removing {{count}} assignment',
        confirmRemoval_other: 'I confirm removing {{count}} assignments',
        apply: 'Apply',
        close: 'Close',
        replan: 'Review a new plan',
        noPermission:
          'Applying needs the aws-access.assignment.write permission.',
        notConfigured:
          'Applying is not configured on this Backstage (no write credentials).',
        confirmFirst: 'Confirm the removals to apply this plan.',
        changed: 'The plan changed; review it again.',
        resultsTitle: 'Outcome',
        summary:
          '{{succeeded}} succeeded, {{failed}} failed, {{skipped}} skipped',
        outcome: {
          succeeded: 'Succeeded',
          failed: 'Failed: {{reason}}',
          skipped: 'Skipped: {{reason}}',
        },
        attempts: 'attempts: {{attempts}}',
        requestId: 'request {{id}}',
        nowCompliant: '{{account}} now complies with the baseline.',
        stillNonCompliant:
          '{{account}} does not comply with the baseline yet: review a new plan.',
      },
    },
    reviews: reviewMessages,
  },
});
