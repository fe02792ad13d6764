import { isSensitiveKey } from './redact-sensitive.util';

/** Which keys a log line never shows: the spellings source systems and our own code use. */
describe('isSensitiveKey', () => {
  it.each([
    'idNumber', 'id_number', 'ID-Number', 'idNo', 'nationalId', 'phone', 'mobile', 'phoneNumber', 'mobilePhone', 'name', 'fullName', 'customerName',
    'email', 'emailAddress', 'birthDate', 'date_of_birth', 'dob', 'balance', 'balanceAfterMinor', 'aumMinor', 'amount', 'amountMinor', 'amountCnyMinor',
    'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'password', 'JWT_SECRET', 'secret', 'accessToken', 'x-api-key', 'apiKey',
    'FIELD_ENCRYPTION_MASTER_KEY', 'BLIND_INDEX_KEY', '手机号', '身份证号', '姓名', '账户余额',
  ])('%s is sensitive', (key) => expect(isSensitiveKey(key)).toBe(true));

  it.each(['customerId', 'eventId', 'type', 'topic', 'partition', 'offset', 'branchId', 'rmId', 'service', 'msg', 'level', 'err', 'stack', 'productType', 'channel', 'currency'])(
    '%s is shown',
    (key) => expect(isSensitiveKey(key)).toBe(false),
  );
});
