import { describeServiceFoundation } from '@meridian/shared/testing';

describeServiceFoundation('service-desk');
