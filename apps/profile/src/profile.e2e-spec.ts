import { describeServiceFoundation } from '@meridian/shared/testing';

describeServiceFoundation('profile', { checksKeys: ['FIELD_ENCRYPTION_MASTER_KEY', 'BLIND_INDEX_KEY'] });
