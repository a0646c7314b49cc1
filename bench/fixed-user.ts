/** The organization user the ceiling and the framework floor answer every request with. */
export const FIXED_USER_BODY = JSON.stringify({
  object: 'organization.user',
  id: 'user-0TjqT3dW1wZ4kQy7bR2mN8vX',
  name: 'Person 417',
  email: 'person-0417@small.example',
  role: 'reader',
  added_at: 1767225600,
  created: 1767225600,
  is_default: false,
  is_service_account: false,
  is_scim_managed: false,
  api_key_last_used_at: null,
  technical_level: null,
  developer_persona: null,
});
