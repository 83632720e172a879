/*
 * A stand-in for the Microsoft Teams clients, as far as a tab built on @microsoft/teams-js 2.x
 * can see them: it answers the tab's calls the way Teams does. Plain browser JavaScript, no build
 * step. Read from teams-js 2.58.0 (dist/umd/MicrosoftTeams.js: initializeCommunication,
 * handleIncomingMessageFromParent, handleIncomingMessageFromNative (onNativeMessage),
 * transformLegacyContextToAppContext, pages.config, SaveEventImpl).
 *
 * Two ways to run, as Teams has them:
 * - In a frame (Teams web and desktop): host.html embeds the tab in an iframe and this script, in
 *   the host page, answers the tab's postMessage calls. Host and tab share one origin (teams-js
 *   trusts its own origin), or the host page has a Teams origin (https://teams.microsoft.com, on
 *   teams-js's list of valid origins) and the tab its own: teamsHost.ts routes both to local servers.
 * - Frameless (Teams iOS and Android): there is no parent window. The test loads this script into
 *   the tab's own page before the tab's scripts (an init script, with window.__teamsHostConfig =
 *   { query }), and it plays the mobile client's bridge: teams-js sends JSON strings to
 *   window.nativeInterface.framelessPostMessage, and the client answers by calling
 *   window.onNativeMessage({ data }) (teams-js sets that handler in app.initialize()).
 *
 * Query string: ?tab=<url, may be relative to this page>&theme=default|dark|contrast&locale=nl-BE
 *   &frameContext=content|settings&teamId=&groupId=&channelId=&userObjectId=&entityId=
 *   optional: tid, userPrincipalName, teamName, channelName, subEntityId, hostClientType,
 *   supports=<JSON for runtimeConfig.supports> (default: { pages: { config: {} } }).
 *   Frameless: the same keys in window.__teamsHostConfig.query (tab is not used).
 *
 * Wire format (window.postMessage, structured clone; frameless: the same objects as JSON text):
 *   tab -> host request : { id: number, uuidAsString, func, args: [], timestamp, monotonicTimestamp,
 *                           apiVersionTag, isProxiedFromChild, teamsJsInstanceId }
 *   host -> tab response: { id, uuidAsString, args: [] }   (id/uuid echoed; args are the results)
 *   host -> tab event   : { func, args: [] }               (no numeric id, or it is taken as a response)
 *
 * window.host: mode, ready, messages, validity, config, context, runtimeConfig, handlers, unsupported, deepLinks,
 *              setTheme(theme), save(options), sendEvent(func, args).
 */
(function () {
  'use strict';

  var frameless = Boolean(window.__teamsHostConfig);
  if (frameless && window !== window.top) return; // an init script also runs in the tab's own frames
  var params = new URLSearchParams(frameless ? window.__teamsHostConfig.query : window.location.search);
  var iframe = frameless ? null : document.getElementById('tab');

  /** The SDK version this host claims to support (initialize's 4th answer). */
  var CLIENT_SUPPORTED_SDK_VERSION = '2.58.0';

  function param(name, fallback) {
    var value = params.get(name);
    return value === null || value === '' ? fallback : value;
  }

  var frameContext = param('frameContext', 'content');
  var teamId = param('teamId', undefined);
  var groupId = param('groupId', undefined);
  var tid = param('tid', '00000000-0000-0000-0000-000000000001');
  var upn = param('userPrincipalName', 'tester@example.test');
  var sessionId = String(Date.now());

  /**
   * The context Teams answers getContext with: the v1 ("legacy") shape. teams-js 2.x turns it into
   * app.Context itself (transformLegacyContextToAppContext): locale -> app.locale, theme -> app.theme,
   * entityId -> page.id, frameContext -> page.frameContext, userObjectId -> user.id, tid ->
   * user.tenant.id, teamId -> team.internalId, groupId -> team.groupId, channelId -> channel.id,
   * hostTeamGroupId -> channel.ownerGroupId, hostClientType/hostName -> app.host.clientType/name.
   */
  var context = {
    locale: param('locale', 'en-US'),
    theme: param('theme', 'default'),
    entityId: param('entityId', ''),
    subEntityId: param('subEntityId', undefined),
    frameContext: frameContext,
    hostClientType: param('hostClientType', frameless ? 'android' : 'web'),
    hostName: 'Teams',
    sessionId: sessionId,
    appSessionId: 'app-' + sessionId,
    ringId: 'general',
    userObjectId: param('userObjectId', undefined),
    userPrincipalName: upn,
    loginHint: upn,
    userLicenseType: 'Unknown',
    tid: tid,
    tenantSKU: 'enterprise',
    isFullScreen: false,
    isMultiWindow: false,
    teamId: teamId,
    groupId: groupId,
    teamName: teamId ? param('teamName', 'Team') : undefined,
    teamType: teamId ? 0 : undefined,
    userTeamRole: teamId ? 0 : undefined,
    isTeamArchived: teamId ? false : undefined,
    channelId: param('channelId', undefined),
    channelName: param('channelName', undefined),
    channelType: params.get('channelId') ? 'Regular' : undefined,
    hostTeamGroupId: groupId,
    hostTeamTenantId: teamId ? tid : undefined,
  };
  if (context.channelId && !context.channelName) context.channelName = 'General';

  /**
   * initialize's 3rd answer, as a JSON string. teams-js needs apiVersion (4 is current; lower ones
   * are fast-forwarded) and `supports`: every X.isSupported() reads runtime.supports.X, and most
   * capability calls throw {errorCode: 100} in the tab, without asking the host, when it is absent.
   */
  var runtimeConfig = {
    apiVersion: 4,
    hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
    isLegacyTeams: false,
    supports: params.get('supports') ? JSON.parse(params.get('supports')) : { pages: { config: {} } },
  };

  /**
   * Legacy calls that teams-js unwraps as [wasSuccessful, reason] (sendAndHandleStatusAndReason):
   * an unsupported one must be answered [false, reason], an error object there reads as success.
   * Everything else unknown is answered [{ errorCode: 501 }] (NOT_SUPPORTED_IN_CURRENT_CONTEXT),
   * which the [response] and [error, result] shapes of teams-js both throw.
   */
  var STATUS_AND_REASON_CALLS = [
    'pages.navigateToApp', 'navigateCrossDomain', 'navigateBack', 'navigateToTab',
    'conversations.openConversation', 'chat.openChat', 'calendar.openCalendarItem',
    'calendar.composeMeeting', 'mail.openMailItem', 'mail.composeMail', 'search.closeSearch',
  ];

  /** One-way notifications from the tab: Teams does not answer them. */
  var ONE_WAY_CALLS = [
    'registerHandler', 'settings.setValidityState', 'settings.save.success', 'settings.save.failure',
    'settings.remove.success', 'settings.remove.failure', 'appInitialization.appLoaded',
    'appInitialization.success', 'appInitialization.failure', 'appInitialization.expectedFailure',
    'setFrameContext',
  ];

  var messages = [];
  var unsupported = [];
  var deepLinks = [];
  var handlers = [];
  var validity = null;
  var config = null;
  var tabWindow = null;
  var tabOrigin = null;
  var pendingSave = null;
  var resolveReady;
  var ready = new Promise(function (resolve) { resolveReady = resolve; });

  /** A copy the tab cannot change afterwards (postMessage data is a structured clone already). */
  function clone(value) {
    return value === undefined ? undefined : structuredClone(value);
  }

  /** Delivers a response or event to the tab: postMessage to its frame, or the mobile bridge's callback. */
  function deliver(message) {
    if (frameless) {
      if (typeof window.onNativeMessage !== 'function') throw new Error('teams host: the tab has not called app.initialize() yet');
      // The mobile clients answer asynchronously, never inside the tab's own call.
      setTimeout(function () { window.onNativeMessage({ data: message }); }, 0);
      return;
    }
    if (!tabWindow) throw new Error('teams host: the tab has not called app.initialize() yet');
    tabWindow.postMessage(message, tabOrigin);
  }

  function respond(request, args) {
    deliver({ id: request.id, uuidAsString: request.uuidAsString, args: args });
  }

  function sendEvent(func, args) {
    deliver({ func: func, args: args || [] });
  }

  function finishSave(result) {
    if (!pendingSave) return;
    var save = pendingSave;
    pendingSave = null;
    clearTimeout(save.timer);
    save.resolve({ config: save.config, result: result });
  }

  function handleRequest(request) {
    var args = request.args || [];
    switch (request.func) {
      case 'initialize':
        // args: [tab's teams-js version, its latest runtime apiVersion, validMessageOrigins]
        // answer: [frameContext, hostClientType, runtimeConfig JSON, clientSupportedSDKVersion]
        respond(request, [frameContext, context.hostClientType, JSON.stringify(runtimeConfig), CLIENT_SUPPORTED_SDK_VERSION]);
        resolveReady();
        return;
      case 'getContext':
        respond(request, [clone(context)]);
        return;
      case 'registerHandler':
        if (handlers.indexOf(args[0]) < 0) handlers.push(args[0]);
        return;
      case 'settings.setValidityState':
        validity = args[0];
        return;
      case 'settings.setSettings':
        config = clone(args[0]);
        if (pendingSave) pendingSave.config = clone(args[0]);
        respond(request, [true]); // [wasSuccessful, reason]
        return;
      case 'settings.getSettings':
        respond(request, [clone(config) || {}]);
        return;
      case 'settings.save.success':
        finishSave('success');
        return;
      case 'settings.save.failure':
        finishSave('failure: ' + (args[0] === undefined ? '' : String(args[0])));
        return;
      case 'executeDeepLink':
        // app.openLink: Teams opens the link itself. It takes an absolute http(s) URL only,
        // answered [wasSuccessful, reason] like the other legacy navigation calls.
        var link = typeof args[0] === 'string' ? args[0] : '';
        if (!/^https?:\/\/[^\s]+$/.test(link)) { respond(request, [false, 'Invalid deep link: ' + link]); return; }
        deepLinks.push(link);
        respond(request, [true]);
        return;
      case 'authentication.getAuthToken':
        // Teams SSO: [true, token] for a signed-in user (?authToken=), else [false, reason].
        if (params.get('authToken')) respond(request, [true, params.get('authToken')]);
        else respond(request, [false, 'resourceRequiresConsent']);
        return;
      default:
        if (ONE_WAY_CALLS.indexOf(request.func) >= 0) return;
        unsupported.push({ func: request.func, args: clone(args) });
        var message = 'Not supported by the test host: ' + request.func;
        if (STATUS_AND_REASON_CALLS.indexOf(request.func) >= 0) respond(request, [false, message]);
        else respond(request, [{ errorCode: 501, message: message }]);
    }
  }

  function receive(data) {
    if (!data || typeof data !== 'object' || typeof data.func !== 'string') return;
    messages.push({ func: data.func, args: clone(data.args || []) });
    if (!tabWindow && !frameless) return; // a call before initialize: Teams would not know this frame yet
    handleRequest(data);
  }

  if (frameless) {
    window.nativeInterface = {
      framelessPostMessage: function (json) {
        receive(JSON.parse(json));
      },
    };
  } else {
    window.addEventListener('message', function (event) {
      if (!iframe.contentWindow || event.source !== iframe.contentWindow) return;
      var data = event.data;
      if (data && typeof data === 'object' && data.func === 'initialize') {
        tabWindow = event.source;
        tabOrigin = event.origin && event.origin !== 'null' ? event.origin : '*';
      }
      receive(data);
    });
  }

  function setTheme(theme) {
    context.theme = theme;
    sendEvent('themeChange', [theme]);
  }

  /**
   * What Teams does when the user clicks Save on a configuration page: it sends 'settings.save'
   * ([{}]: SaveParameters, webhookUrl only for connectors) and waits for 'settings.save.success' /
   * 'settings.save.failure'. Teams keeps Save disabled until the tab set validity true; so does this.
   */
  function save(options) {
    var timeoutMs = (options && options.timeoutMs) || 10000;
    if (pendingSave) return Promise.reject(new Error('teams host: a save is already in progress'));
    if (validity !== true) {
      return Promise.reject(new Error('teams host: Save is disabled, the tab has not called pages.config.setValidityState(true) (validity: ' + JSON.stringify(validity) + ')'));
    }
    return new Promise(function (resolve, reject) {
      pendingSave = {
        config: null,
        resolve: resolve,
        timer: setTimeout(function () {
          pendingSave = null;
          reject(new Error('teams host: the tab answered the save with neither notifySuccess nor notifyFailure within ' + timeoutMs + ' ms'));
        }, timeoutMs),
      };
      try {
        sendEvent('settings.save', [{}]);
      } catch (e) {
        clearTimeout(pendingSave.timer);
        pendingSave = null;
        reject(e);
      }
    });
  }

  window.host = {
    mode: frameless ? 'frameless' : 'frame',
    ready: ready,
    messages: messages,
    unsupported: unsupported,
    deepLinks: deepLinks,
    handlers: handlers,
    context: context,
    runtimeConfig: runtimeConfig,
    get validity() { return validity; },
    get config() { return config; },
    setTheme: setTheme,
    save: save,
    sendEvent: sendEvent,
  };

  if (frameless) return; // the tab is this page
  var tab = params.get('tab');
  if (!tab) {
    document.body.textContent = 'teams host: no ?tab=<url> given';
    return;
  }
  iframe.src = new URL(tab, window.location.href).href;
})();
