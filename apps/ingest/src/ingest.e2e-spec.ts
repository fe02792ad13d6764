import { describeServiceFoundation } from '@meridian/shared/testing';

describeServiceFoundation('ingest', { checksKeys: ['BLIND_INDEX_KEY'] });
