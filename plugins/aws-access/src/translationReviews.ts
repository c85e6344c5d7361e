/**
 * The texts of access reviews, kept apart from `translation.ts` so each file stays small; they appear under
 * `reviews.*` in {@link awsAccessTranslationRef}.
 */
export const reviewMessages = {
  page: {
    title: 'AWS access reviews',
    subtitle:
      'Attest who keeps AWS access: what each membership gives now, and how the person got it',
    notConfigured: 'Access reviews are not configured on this Backstage.',
  },
  mine: {
    empty:
      'Nothing to review: no open campaign has items for you. The platform team starts campaigns; you are notified when one needs you.',
    campaign: '{{name}}: due {{due}}, you decided {{decided}} of {{total}}',
    focusMissing:
      'The campaign you followed a link to has nothing open for you: it is closed, or none of its items are yours to review.',
  },
  group: {
    subheader: '{{campaign}} · due {{due}} · {{decided}} of {{total}} decided',
    keepAll_one: 'Keep the pending member',
    keepAll_other: 'Keep all {{count}} pending',
    keepAllTitle: 'Keep every pending member of {{group}}?',
    keepAllDescription_one:
      'The membership stays as it is; the decision and your note are recorded as evidence.',
    keepAllDescription_other:
      '{{count}} memberships stay as they are; the decision and your note are recorded as evidence.',
    reason: {
      policy:
        'Reviewed by the approvers of its request policy: those who approve requests for {{group}} attest who keeps it.',
      'group-owners':
        'Reviewed by its owners in Entra: no request policy names approvers for {{group}}.',
      platform:
        'Reviewed by the platform team: {{group}} has no request policy approvers and no owners in Entra.',
    },
    itemsTitle: 'Direct members to review',
    matrixTitle: 'What the members can do in AWS through {{group}}',
    noAccess: '{{group}} gives its members no AWS access right now.',
    nested_one:
      '{{count}} nested member is not reviewed here (nested memberships never reach AWS): {{names}}',
    nested_other:
      '{{count}} nested members are not reviewed here (nested memberships never reach AWS): {{names}}',
  },
  item: {
    person: 'Person',
    access: 'AWS access through this group now',
    origin: 'How they got it',
    state: 'State',
    decision: 'Decision',
    grant: '{{permissionSet}} on {{account}} ({{session}} sessions)',
    alsoVia: 'also through {{paths}}: removing keeps this',
    noAccess: 'None (AWS shows no access through this group)',
    outOfSync:
      'AWS still holds {{permissionSet}} on {{account}} ({{state}}) that Entra no longer grants',
    requested:
      'Requested {{requestedAt}}, approved by {{approvers}}{{approvedAt}}',
    approvedAt: ' on {{at}}',
    expires: 'expires {{at}}',
    standing: 'Standing membership (not requested)',
    standingSince: 'Standing membership since {{since}} (not requested)',
    delegated: 'delegated by {{by}}',
    decidedBy: '{{decision}} by {{by}} on {{at}}',
    removedAt: 'AWS showed it gone at {{at}}',
    error: 'The last removal attempt failed: {{error}} (tried again)',
  },
  states: {
    pending: 'To decide',
    kept: 'Kept',
    removing: 'Being removed (AWS still shows it)',
    removed: 'Removed',
  },
  decisions: {
    keep: 'Keep',
    remove: 'Remove',
    delegate: 'Delegate',
    actionAria: '{{action}}: {{member}}',
    keepTitle: 'Keep {{member}} in {{group}}?',
    removeTitle: 'Remove {{member}} from {{group}}?',
    removeDescription:
      'Removes the membership in Entra and follows it until AWS shows the access gone.',
    removeKeeps: 'Still reachable another way: {{grants}}.',
    note: 'Note (optional)',
    cancel: 'Cancel',
    delegateTitle: 'Delegate the review of {{member}} in {{group}}',
    delegateTo: 'Delegate to',
    delegateToHelp:
      'A user entity ref or user name, e.g. user:default/sara_example.com',
  },
  campaigns: {
    title: 'Review campaigns',
    empty: 'No review campaign has been started yet.',
    start: 'Start a campaign',
    name: 'Name',
    due: 'Due',
    state: 'State',
    progress: 'Progress',
    overdue: 'Overdue',
    evidence: 'Evidence',
    open: 'Open',
    closed: 'Closed {{at}}',
    progressText:
      '{{decided}} of {{total}} decided ({{kept}} kept, {{removing}} being removed, {{removed}} removed)',
    progressAria: '{{name}}: {{decided}} of {{total}} decided',
    exportCsv: 'CSV',
    exportJson: 'JSON',
    exportAria: 'Export the evidence of {{name}} as {{format}}',
    details: 'Progress per reviewer',
    reviewer: 'Reviewer',
    platformReviewer: 'the platform team',
    createTitle: 'Start an access review campaign',
    scope: 'Scope',
    scopeAll: 'Every group that gives AWS access',
    scopeGroups: 'These groups',
    groups: 'Groups',
    groupsHelp:
      'Group entity refs or names, separated by commas, e.g. group:default/aws-developers-readonly',
    dueDate: 'Due date',
    closingPolicy: 'Undecided items at the due date',
    closingDefault: 'As configured',
    closingKeep: 'are kept',
    closingRemove: 'are removed',
    create: 'Start campaign',
    created_one: 'Started {{name}} with {{count}} item.',
    created_other: 'Started {{name}} with {{count}} items.',
  },
  overdue: {
    title: 'Overdue access review items',
    empty: 'No review item is overdue.',
    campaign: 'Campaign',
    group: 'Group',
    member: 'Member',
    reviewers: 'Reviewers',
    state: 'State',
    campaignDue: '{{name}} (due {{due}})',
  },
} as const;
