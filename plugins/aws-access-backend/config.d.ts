export interface Config {
  /** Configuration of the AWS access plugins. */
  awsAccess?: {
    /**
     * Entity refs of the groups whose members are the platform team. The demo's permission policy allows them
     * every aws-access permission; the plugin itself never grants anything by group.
     */
    platformGroups?: string[];
  };
}
