import {
  deleteConflict,
  entityAlreadyExists,
  invalidAuthenticationCode,
  limitExceeded,
  noSuchEntity,
  quotaExceeded,
} from './errors';
import { entityArn, isoNow } from './ids';
import { requestUser } from './implicitUser';
import { nameKey, type UserRecord, type VirtualMfaDeviceRecord } from './model';
import { pageFields, paginate } from './pagination';
import type { Handlers, Params } from './params';
import { qrCodePng } from './qrCode';
import { QUOTAS } from './quotas';
import { tagsXml, userXml } from './responses';
import { MAX_TAGS, RULES } from './rules';
import type { IamState } from './state';
import { areConsecutiveCodes, newTotpSeed } from './totp';
import { mergeTags } from './userActions';

const ASSIGNMENT_STATUSES = ['Assigned', 'Unassigned', 'Any'] as const;
/** ResyncMFADevice looks further back than EnableMFADevice: the device's clock has drifted. */
const RESYNC_STEPS = 20;

function requireDevice(state: IamState, serialNumber: string): VirtualMfaDeviceRecord {
  const device = state.mfaDevices.get(nameKey(serialNumber));
  if (!device) throw noSuchEntity(`VirtualMFADevice with serial number ${serialNumber} doesn't exist.`);
  return device;
}

/** The device `SerialNumber` as enabled for the request's user. */
function requireAssigned(params: Params, state: IamState, user: UserRecord): VirtualMfaDeviceRecord {
  const serialNumber = params.required('SerialNumber', RULES.serialNumber);
  const device = state.mfaDevices.get(nameKey(serialNumber));
  if (!device || device.userKey !== nameKey(user.userName)) {
    throw noSuchEntity(`MFA Device with serial number ${serialNumber} does not exist.`);
  }
  return device;
}

function authenticationCodes(params: Params): [string, string] {
  return [
    params.required('AuthenticationCode1', RULES.authenticationCode),
    params.required('AuthenticationCode2', RULES.authenticationCode),
  ];
}

/** What an authenticator app scans: `otpauth://totp/<device>@<alias or account id>?secret=<seed>`. */
function otpauthUri(device: VirtualMfaDeviceRecord, state: IamState): string {
  const account = state.aliases.values()[0]?.alias ?? state.accountId;
  return `otpauth://totp/${device.name}@${account}?secret=${device.base32Seed}`;
}

const mfaDeviceXml = (device: VirtualMfaDeviceRecord, user: UserRecord) => ({
  UserName: user.userName,
  SerialNumber: device.serialNumber,
  EnableDate: device.enableDate,
});

/**
 * Virtual MFA devices (TOTP, RFC 6238): created for the account, enabled for a user with two
 * consecutive codes, deactivated, deleted once unassigned. Hardware and FIDO devices are not emulated.
 */
export const mfaActions: Handlers = {
  CreateVirtualMFADevice: (params, state) => {
    const path = params.optional('Path', RULES.path) ?? '/';
    const name = params.required('VirtualMFADeviceName', RULES.virtualMfaDeviceName);
    const tags = params.tags();
    const serialNumber = entityArn(state.accountId, 'mfa', path, name);
    if (state.mfaDevices.has(nameKey(serialNumber))) {
      throw entityAlreadyExists('MFADevice entity at the same path and name already exists.');
    }
    const device: VirtualMfaDeviceRecord = {
      serialNumber,
      path,
      name,
      base32Seed: newTotpSeed(),
      createDate: isoNow(),
      tags,
    };
    state.mfaDevices.set(nameKey(serialNumber), device);
    // Blobs travel base64-encoded; the seed blob holds the base32 text itself.
    return {
      VirtualMFADevice: {
        SerialNumber: serialNumber,
        Base32StringSeed: Buffer.from(device.base32Seed, 'ascii').toString('base64'),
        QRCodePNG: qrCodePng(otpauthUri(device, state)).toString('base64'),
        Tags: tags.length > 0 ? tagsXml(tags) : undefined,
      },
    };
  },

  EnableMFADevice: (params, state) => {
    const user = state.requireUser(params.required('UserName', RULES.existingUserName));
    const device = requireDevice(state, params.required('SerialNumber', RULES.serialNumber));
    const [first, second] = authenticationCodes(params);
    const userKey = nameKey(user.userName);
    if (device.userKey !== undefined) throw entityAlreadyExists('MFA Device is already in use.');
    if (state.ownedBy(state.mfaDevices, userKey).length >= QUOTAS.mfaDevicesPerUser) {
      throw quotaExceeded('MFADevicesPerUser', QUOTAS.mfaDevicesPerUser);
    }
    if (!areConsecutiveCodes(device.base32Seed, first, second, Date.now())) {
      throw invalidAuthenticationCode('Authentication code for device is not valid.');
    }
    state.mfaDevices.set(nameKey(device.serialNumber), { ...device, userKey, enableDate: isoNow() });
    return undefined;
  },

  ResyncMFADevice: (params, state) => {
    const user = state.requireUser(params.required('UserName', RULES.existingUserName));
    const device = requireAssigned(params, state, user);
    const [first, second] = authenticationCodes(params);
    if (!areConsecutiveCodes(device.base32Seed, first, second, Date.now(), RESYNC_STEPS)) {
      throw invalidAuthenticationCode('Authentication code for device is not valid.');
    }
    return undefined;
  },

  DeactivateMFADevice: (params, state, caller) => {
    const user = requestUser(params, state, caller);
    const device = requireAssigned(params, state, user);
    state.mfaDevices.set(nameKey(device.serialNumber), {
      ...device,
      userKey: undefined,
      enableDate: undefined,
    });
    return undefined;
  },

  DeleteVirtualMFADevice: (params, state) => {
    const device = requireDevice(state, params.required('SerialNumber', RULES.serialNumber));
    if (device.userKey !== undefined)
      throw deleteConflict('MFA VirtualDevice in use. Must deactivate first.');
    state.mfaDevices.delete(nameKey(device.serialNumber));
    return undefined;
  },

  ListMFADevices: (params, state, caller) => {
    const user = requestUser(params, state, caller);
    const devices = state.ownedBy(state.mfaDevices, nameKey(user.userName));
    const page = paginate(devices, (device) => nameKey(device.serialNumber), params);
    return { MFADevices: page.items.map((device) => mfaDeviceXml(device, user)), ...pageFields(page) };
  },

  TagMFADevice: (params, state) => {
    const device = requireDevice(state, params.required('SerialNumber', RULES.serialNumber));
    const tags = mergeTags(device.tags, params.tags('Tags', true));
    if (tags.length > MAX_TAGS) throw limitExceeded('The number of tags has reached the maximum limit.');
    state.mfaDevices.set(nameKey(device.serialNumber), { ...device, tags });
    return undefined;
  },

  UntagMFADevice: (params, state) => {
    const device = requireDevice(state, params.required('SerialNumber', RULES.serialNumber));
    const removed = new Set(
      params.list('TagKeys', RULES.tagKey, { required: true, max: MAX_TAGS }).map((key) => key.toLowerCase()),
    );
    const tags = device.tags.filter((tag) => !removed.has(tag.key.toLowerCase()));
    state.mfaDevices.set(nameKey(device.serialNumber), { ...device, tags });
    return undefined;
  },

  ListMFADeviceTags: (params, state) => {
    const device = requireDevice(state, params.required('SerialNumber', RULES.serialNumber));
    const page = paginate(device.tags, (tag) => tag.key.toLowerCase(), params);
    return { Tags: tagsXml(page.items), ...pageFields(page) };
  },

  /** Listing shows no seed, QR code or tags (ListMFADeviceTags has them). */
  ListVirtualMFADevices: (params, state) => {
    const status = params.oneOf('AssignmentStatus', ASSIGNMENT_STATUSES) ?? 'Any';
    const devices = state.mfaDevices
      .values()
      .filter((device) => status === 'Any' || (device.userKey !== undefined) === (status === 'Assigned'));
    const page = paginate(devices, (device) => nameKey(device.serialNumber), params);
    return {
      VirtualMFADevices: page.items.map((device) => {
        const user = device.userKey === undefined ? undefined : state.users.get(device.userKey);
        return {
          SerialNumber: device.serialNumber,
          User: user && userXml(user, 'listing'),
          EnableDate: device.enableDate,
        };
      }),
      ...pageFields(page),
    };
  },
};

/** How many virtual MFA devices exist and how many are enabled for a user (GetAccountSummary). */
export function mfaDeviceCounts(state: IamState): { devices: number; inUse: number } {
  const devices = state.mfaDevices.values();
  return { devices: devices.length, inUse: devices.filter((device) => device.userKey !== undefined).length };
}
