import { describeServiceFoundation } from '@meridian/shared/testing';

describeServiceFoundation('campaign');
