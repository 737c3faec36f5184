// Serverless variable source for the IAM conditions: the policies the onboarding may attach and
// the permissions boundaries it may set, both read from the access profiles, so the deployed
// permissions can never grant more than the profiles allow. ARNs may contain ${AWS::AccountId}:
// they are returned as Fn::Sub so CloudFormation fills it in.
const profiles = require('./access-profiles.json');

const sub = (arn) => (arn.includes('${') ? { 'Fn::Sub': arn } : arn);

module.exports = () => ({
  allowedPolicies: profiles.allowedPolicies.map(sub),
  permissionsBoundaries: [...new Set(profiles.profiles.map((p) => p.permissionsBoundary))].map(sub),
});
